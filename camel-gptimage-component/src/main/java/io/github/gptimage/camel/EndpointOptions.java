package io.github.gptimage.camel;

import java.lang.reflect.Field;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.github.gptimage.camel.api.GenerateRequest;
import io.github.gptimage.camel.error.GptImageValidationException;
import org.apache.camel.spi.UriParam;

/**
 * Refuses, when an endpoint is created, option values that Camel would accept and the component would then misuse:
 * a value that does not convert exactly (Camel reads {@code timeout=abc} as 0 and {@code nVariants=two} as 0), and a
 * converted value out of range. Each error is an {@link IllegalArgumentException} naming the option and the value as
 * written, which Camel reports as a {@code ResolveEndpointFailedException}.
 */
final class EndpointOptions {

    /** The options of {@link GptImageConfiguration} by lower-case name, as Camel matches them. */
    private static final Map<String, Field> OPTIONS = new TreeMap<>();

    static {
        for (Field field : GptImageConfiguration.class.getDeclaredFields()) {
            UriParam param = field.getAnnotation(UriParam.class);
            if (param != null) {
                String name = param.name().isEmpty() ? field.getName() : param.name();
                OPTIONS.put(name.toLowerCase(Locale.ROOT), field);
            }
        }
    }

    private EndpointOptions() {
    }

    /** Checks the values of the endpoint URI's options as written, before Camel converts them. */
    static void checkWrittenValues(Map<String, Object> parameters) {
        parameters.forEach((name, value) -> {
            Field field = OPTIONS.get(name.toLowerCase(Locale.ROOT));
            if (field == null || !(value instanceof String text)) {
                return;
            }
            UriParam param = field.getAnnotation(UriParam.class);
            Class<?> type = field.getType();
            if ("java.time.Duration".equals(param.javaType())) {
                if (StrictValues.duration(text) == null) {
                    throw invalid(name, text, "not a duration: use " + StrictValues.DURATION_FORMS);
                }
            } else if (type == int.class || type == Integer.class) {
                if (StrictValues.wholeNumber(text, Integer.MIN_VALUE, Integer.MAX_VALUE) == null) {
                    throw invalid(name, text, "not a whole number");
                }
            } else if (type == long.class || type == Long.class) {
                if (StrictValues.wholeNumber(text, Long.MIN_VALUE, Long.MAX_VALUE) == null) {
                    throw invalid(name, text, "not a whole number");
                }
            } else if (type == boolean.class || type == Boolean.class) {
                if (StrictValues.bool(text) == null) {
                    throw invalid(name, text, "not true or false");
                }
            }
        });
    }

    /**
     * Checks the endpoint's effective options (its own over the component's): a component option that Camel read as 0
     * ({@code camel.component.gptimage.timeout=abc}) is refused here.
     */
    static void checkRanges(GptImageConfiguration config) {
        checkBaseUrl(config.getBaseUrl());
        positive("connectTimeout", config.getConnectTimeout());
        positive("requestTimeout", config.getRequestTimeout());
        positive("submitTimeout", config.getSubmitTimeout());
        positive("timeout", config.getTimeout());
        notNegative("pollInitialDelay", config.getPollInitialDelay());
        notNegative("pollMaxInterval", config.getPollMaxInterval());
        if (config.getMaxConcurrentPolls() < 1) {
            throw invalid("maxConcurrentPolls", config.getMaxConcurrentPolls(),
                    "must be at least 1: with no info call allowed in flight no task would ever be polled");
        }
        if (config.getCreditsPerImage() < 0) {
            throw invalid("creditsPerImage", config.getCreditsPerImage(), "must not be negative");
        }
        if (config.getCreditBudget() < 0) {
            throw invalid("creditBudget", config.getCreditBudget(), "must not be negative (0: no budget)");
        }
        if (config.getCreditBudgetPeriod() < 1000) {
            throw invalid("creditBudgetPeriod", config.getCreditBudgetPeriod(), "must be at least 1 second (a"
                          + " duration, here in milliseconds)" + zeroHint(config.getCreditBudgetPeriod()));
        }
        if (!(config.getMaxSubmitsPerSecond() >= 0) || Double.isInfinite(config.getMaxSubmitsPerSecond())) {
            throw invalid("maxSubmitsPerSecond", config.getMaxSubmitsPerSecond(), "must be 0 (no limit) or a"
                          + " positive number of generates a second, for example 2 or 0.5");
        }
        if (config.getDownloadMaxSize() < 1) {
            throw invalid("downloadMaxSize", config.getDownloadMaxSize(),
                    "must be at least 1 byte: every download (of images already paid for) would fail");
        }
        try {
            GenerateRequestValidator.validateFields(GenerateRequest.builder()
                    .size(config.getSize())
                    .prompt(config.getPrompt())
                    .filesUrl(config.getFilesUrl() != null ? GenerateRequestResolver.splitList(config.getFilesUrl()) : null)
                    .maskUrl(config.getMaskUrl())
                    .nVariants(config.getNVariants())
                    .fallbackModel(config.getFallbackModel())
                    .callBackUrl(config.getCallbackUrl())
                    .build());
        } catch (GptImageValidationException e) {
            throw new IllegalArgumentException("Invalid gptimage option: " + e.getApiMessage(), e);
        }
    }

    static void checkBaseUrl(String baseUrl) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw invalid("baseUrl", baseUrl, "empty: give the API's absolute http(s) URL, for example "
                                              + GptImageConfiguration.DEFAULT_BASE_URL);
        }
        if (!isHttpUrl(baseUrl)) {
            throw invalid("baseUrl", baseUrl, "not an absolute http(s) URL, for example "
                                              + GptImageConfiguration.DEFAULT_BASE_URL);
        }
    }

    /** True for an absolute http or https URL with a host. */
    static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() != null ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static void positive(String option, long millis) {
        if (millis <= 0) {
            throw invalid(option, millis, "must be positive (a duration, here in milliseconds)" + zeroHint(millis));
        }
    }

    private static void notNegative(String option, long millis) {
        if (millis < 0) {
            throw invalid(option, millis, "must not be negative (a duration, here in milliseconds)");
        }
    }

    /** Camel reads a duration it cannot parse as 0: say so when the component's option is where it came from. */
    static String zeroHint(long millis) {
        return millis == 0 ? "; Camel reads a text it cannot read as a duration, such as 'abc' set on the component,"
                             + " as 0: use " + StrictValues.DURATION_FORMS : "";
    }

    static IllegalArgumentException invalid(String option, Object value, String problem) {
        return new IllegalArgumentException("Invalid gptimage option " + option + "=" + written(value) + ": " + problem);
    }

    /** The value as written; quoted when it is empty or has spaces, so that it still shows. */
    private static String written(Object value) {
        String text = String.valueOf(value);
        return value instanceof String && (text.isEmpty() || !text.strip().equals(text) || text.contains(" "))
                ? "'" + text + "'" : text;
    }
}
