package io.github.gptimage.simulator;

import java.lang.Character.UnicodeScript;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The checks the service makes on a generate body. A single required field that is absent gives
 * code 500 "This field is required" (as reported from live use); a wrong value or a broken rule
 * between fields gives code 422 (also a filesUrl or maskUrl that does not name a supported image
 * format); a non-English prompt gives code 400.
 */
final class GenerateRequestValidator {

    static final int MAX_FILES = 5;
    private static final Set<Integer> VARIANTS = Set.of(1, 2, 4);
    private static final Set<String> FALLBACK_MODELS = Set.of("GPT_IMAGE_1", "FLUX_MAX");
    private static final Set<String> BOOLEAN_FIELDS = Set.of("isEnhance", "uploadCn", "enableFallback");
    /** The image formats the service documents for filesUrl (and so for maskUrl, which must match the source). */
    static final List<String> IMAGE_EXTENSIONS = List.of(".jfif", ".pjpeg", ".jpeg", ".pjp", ".jpg", ".png", ".webp");

    private GenerateRequestValidator() {
    }

    static Optional<ApiError> validate(JsonNode body) {
        if (body == null || !body.isObject()) {
            return Optional.of(ApiError.invalid("The request body must be a JSON object"));
        }
        JsonNode size = body.get("size");
        if (size == null || size.isNull() || size.asText().isBlank()) {
            return Optional.of(ApiError.required("size"));
        }
        if (!size.isTextual() || ImageSize.ofRatio(size.asText()).isEmpty()) {
            return Optional.of(ApiError.invalid("size must be one of 1:1, 3:2, 2:3"));
        }
        return firstError(
                checkPrompt(body.get("prompt")),
                checkFiles(body),
                checkVariants(body.get("nVariants")),
                checkBooleans(body),
                checkFallbackModel(body.get("fallbackModel")),
                checkImageUrl("maskUrl", body.get("maskUrl")),
                checkUrl("callBackUrl", body.get("callBackUrl")));
    }

    @SafeVarargs
    private static Optional<ApiError> firstError(Optional<ApiError>... checks) {
        for (Optional<ApiError> check : checks) {
            if (check.isPresent()) {
                return check;
            }
        }
        return Optional.empty();
    }

    private static Optional<ApiError> checkPrompt(JsonNode prompt) {
        if (isAbsent(prompt)) {
            return Optional.empty();
        }
        if (!prompt.isTextual()) {
            return Optional.of(ApiError.invalid("prompt must be a string"));
        }
        boolean english = prompt.asText().codePoints()
                .mapToObj(UnicodeScript::of)
                .allMatch(s -> s == UnicodeScript.LATIN || s == UnicodeScript.COMMON || s == UnicodeScript.INHERITED);
        return english ? Optional.empty() : Optional.of(ApiError.ENGLISH_ONLY);
    }

    private static Optional<ApiError> checkFiles(JsonNode body) {
        JsonNode files = body.get("filesUrl");
        JsonNode deprecatedFile = body.get("fileUrl");
        boolean hasFiles = !isAbsent(files) && !(files.isArray() && files.isEmpty());
        if (hasFiles) {
            if (!files.isArray()) {
                return Optional.of(ApiError.invalid("filesUrl must be an array of image URLs"));
            }
            if (files.size() > MAX_FILES) {
                return Optional.of(ApiError.invalid("filesUrl accepts at most " + MAX_FILES + " images"));
            }
            for (JsonNode file : files) {
                Optional<ApiError> error = checkImageUrl("filesUrl", file);
                if (error.isPresent()) {
                    return error;
                }
            }
        }
        Optional<ApiError> deprecatedError = checkUrl("fileUrl", deprecatedFile);
        if (deprecatedError.isPresent()) {
            return deprecatedError;
        }
        if (isAbsent(body.get("prompt")) && !hasFiles && isAbsent(deprecatedFile)) {
            return Optional.of(ApiError.invalid("prompt or filesUrl: at least one of them must be provided"));
        }
        return Optional.empty();
    }

    private static Optional<ApiError> checkVariants(JsonNode variants) {
        if (isAbsent(variants) || (variants.isIntegralNumber() && VARIANTS.contains(variants.asInt()))) {
            return Optional.empty();
        }
        return Optional.of(ApiError.invalid("nVariants must be one of 1, 2, 4"));
    }

    private static Optional<ApiError> checkBooleans(JsonNode body) {
        return BOOLEAN_FIELDS.stream()
                .filter(field -> !isAbsent(body.get(field)) && !body.get(field).isBoolean())
                .findFirst()
                .map(field -> ApiError.invalid(field + " must be a boolean"));
    }

    private static Optional<ApiError> checkFallbackModel(JsonNode model) {
        if (isAbsent(model) || (model.isTextual() && FALLBACK_MODELS.contains(model.asText()))) {
            return Optional.empty();
        }
        return Optional.of(ApiError.invalid("fallbackModel must be one of GPT_IMAGE_1, FLUX_MAX"));
    }

    private static Optional<ApiError> checkUrl(String field, JsonNode url) {
        if (isAbsent(url)) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(url.asText());
            if (url.isTextual() && uri.getHost() != null
                    && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
                return Optional.empty();
            }
        } catch (IllegalArgumentException e) {
            // falls through to the validation error
        }
        return Optional.of(ApiError.invalid(field + " must be an http(s) URL"));
    }

    /**
     * An http(s) URL whose path (without query string or fragment) ends in one of the
     * {@link #IMAGE_EXTENSIONS}, in any case: a parameter check, so code 422 (451 is for a fetch that failed).
     */
    private static Optional<ApiError> checkImageUrl(String field, JsonNode url) {
        Optional<ApiError> notUrl = checkUrl(field, url);
        if (notUrl.isPresent() || isAbsent(url)) {
            return notUrl;
        }
        String path = URI.create(url.asText()).getPath();
        String lower = path == null ? "" : path.toLowerCase(Locale.ROOT);
        if (IMAGE_EXTENSIONS.stream().anyMatch(lower::endsWith)) {
            return Optional.empty();
        }
        return Optional.of(ApiError.invalid(field + " must be a " + String.join(", ", IMAGE_EXTENSIONS)
                + " image: " + url.asText()));
    }

    private static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull() || (node.isTextual() && node.asText().isBlank());
    }
}
