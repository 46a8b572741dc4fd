package io.github.gptimage.camel;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.github.gptimage.camel.api.FallbackModel;
import io.github.gptimage.camel.api.GenerateRequest;
import io.github.gptimage.camel.api.ImageSize;
import io.github.gptimage.camel.error.GptImageValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses, before anything is sent or paid, a request the service would refuse; logs a warning for one the service
 * takes but would not act on as the route probably expects.
 */
final class GenerateRequestValidator {

    private static final Logger LOG = LoggerFactory.getLogger(GenerateRequestValidator.class);

    static final int MAX_FILES = 5;
    /** The longest prompt gpt-image-1 accepts, in characters. */
    static final int MAX_PROMPT_LENGTH = 32_000;
    static final Set<Integer> VARIANTS = Set.of(1, 2, 4);
    static final Set<String> IMAGE_EXTENSIONS = Set.of("jfif", "pjpeg", "jpeg", "pjp", "jpg", "png", "webp");

    private GenerateRequestValidator() {
    }

    /** Validates a normalised request; throws {@link GptImageValidationException} on the first problem. */
    static void validate(GenerateRequest request) {
        validateFields(request);
        List<String> files = request.filesUrl() != null ? request.filesUrl() : List.of();
        boolean hasPrompt = request.prompt() != null && !request.prompt().isBlank();
        if (!hasPrompt && files.isEmpty()) {
            throw new GptImageValidationException("a prompt or at least one filesUrl is required");
        }
        if (request.maskUrl() != null && files.size() > 1) {
            LOG.warn("maskUrl is ignored by the GPT image API when filesUrl holds more than one image ({} here)",
                    files.size());
        }
        if (request.fallbackModel() != null && !Boolean.TRUE.equals(request.enableFallback())) {
            LOG.warn("fallbackModel {} has no effect without enableFallback=true", request.fallbackModel());
        }
    }

    /**
     * Validates the fields that are set, each on its own (also the endpoint options, when the endpoint is created);
     * throws {@link GptImageValidationException} on the first problem.
     */
    static void validateFields(GenerateRequest request) {
        if (request.size() != null && ImageSize.fromValue(request.size()) == null) {
            throw new GptImageValidationException(
                    "size '" + request.size() + "' is not one of " + ImageSize.acceptedValues());
        }
        if (request.nVariants() != null && !VARIANTS.contains(request.nVariants())) {
            throw new GptImageValidationException("nVariants " + request.nVariants() + " is not 1, 2 or 4");
        }
        if (request.prompt() != null) {
            int length = request.prompt().codePointCount(0, request.prompt().length());
            if (length > MAX_PROMPT_LENGTH) {
                throw new GptImageValidationException("the prompt has " + length + " characters; gpt-image-1 accepts at"
                                                      + " most " + MAX_PROMPT_LENGTH);
            }
        }
        List<String> files = request.filesUrl() != null ? request.filesUrl() : List.of();
        if (files.size() > MAX_FILES) {
            throw new GptImageValidationException(
                    "filesUrl has " + files.size() + " URLs; the API takes at most " + MAX_FILES);
        }
        files.forEach(url -> checkImageUrl("filesUrl", url));
        if (request.maskUrl() != null) {
            checkImageUrl("maskUrl", request.maskUrl());
        }
        if (request.callBackUrl() != null) {
            checkHttpUrl("callBackUrl", request.callBackUrl());
        }
        if (request.fallbackModel() != null && !isFallbackModel(request.fallbackModel())) {
            throw new GptImageValidationException(
                    "fallbackModel '" + request.fallbackModel() + "' is not GPT_IMAGE_1 or FLUX_MAX");
        }
    }

    private static boolean isFallbackModel(String value) {
        for (FallbackModel model : FallbackModel.values()) {
            if (model.name().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static void checkImageUrl(String field, String url) {
        URI uri = checkHttpUrl(field, url);
        String path = uri.getPath() != null ? uri.getPath() : "";
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        if (dot >= 0) {
            String extension = name.substring(dot + 1).toLowerCase(Locale.ROOT);
            if (!IMAGE_EXTENSIONS.contains(extension)) {
                throw new GptImageValidationException(
                        field + " " + url + " is a ." + extension + " file; the API supports " + IMAGE_EXTENSIONS);
            }
        }
    }

    private static URI checkHttpUrl(String field, String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() != null ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
            if (uri.isAbsolute() && (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below with the field name
        }
        throw new GptImageValidationException(field + " '" + url + "' is not an absolute http(s) URL");
    }
}
