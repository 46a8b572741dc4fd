package io.github.gptimage.camel;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gptimage.camel.api.GenerateRequest;
import io.github.gptimage.camel.error.GptImageValidationException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.TypeConversionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the request of a {@code generate} call from three layers, each winning over the one before: the endpoint
 * options, the message body, the message headers.
 */
final class GenerateRequestResolver {

    private static final Logger LOG = LoggerFactory.getLogger(GenerateRequestResolver.class);

    /** The endpoint options' layer: they are set before the producer is created, so it is built once. */
    private final GenerateRequest fromOptions;
    private final ObjectMapper mapper;

    GenerateRequestResolver(GptImageConfiguration options, ObjectMapper mapper) {
        this.fromOptions = fromOptions(options);
        this.mapper = mapper;
    }

    GenerateRequest resolve(Exchange exchange) {
        Message message = exchange.getMessage();
        GenerateRequest request = GenerateRequest.builder()
                .merge(fromOptions)
                .merge(fromBody(message.getBody()))
                .merge(fromHeaders(message))
                .build();
        if (request.fileUrl() != null) {
            LOG.warn("fileUrl is deprecated by the GPT image API: it is sent as a one-element filesUrl");
        }
        return request.normalized();
    }

    private static GenerateRequest fromOptions(GptImageConfiguration options) {
        return GenerateRequest.builder()
                .size(options.getSize())
                .prompt(options.getPrompt())
                .filesUrl(options.getFilesUrl() != null ? splitList(options.getFilesUrl()) : null)
                .maskUrl(options.getMaskUrl())
                .nVariants(options.getNVariants())
                .enhance(options.isEnhance())
                .uploadCn(options.isUploadCn())
                .enableFallback(options.isEnableFallback())
                .fallbackModel(options.getFallbackModel())
                .callBackUrl(options.getCallbackUrl())
                .build();
    }

    private GenerateRequest fromBody(Object body) {
        if (body == null) {
            return null;
        }
        if (body instanceof String prompt) {
            return prompt.isBlank() ? null : GenerateRequest.builder().prompt(prompt).build();
        }
        if (body instanceof GenerateRequest request) {
            return request;
        }
        if (body instanceof Map<?, ?> fields) {
            checkMapValues(fields);
            try {
                return mapper.convertValue(fields, GenerateRequest.class);
            } catch (IllegalArgumentException e) {
                throw new GptImageValidationException(
                        "the Map body must hold request fields under the API's JSON names (prompt, size, filesUrl,"
                                                      + " maskUrl, nVariants, isEnhance, uploadCn, enableFallback,"
                                                      + " fallbackModel, callBackUrl): " + rootMessage(e));
            }
        }
        throw new GptImageValidationException(
                "the body must be a String prompt, a GenerateRequest or a Map of request fields, not "
                                              + body.getClass().getName()
                                              + "; source images are sent as public URLs in filesUrl");
    }

    private GenerateRequest fromHeaders(Message message) {
        return GenerateRequest.builder()
                .prompt(header(message, GptImageConstants.PROMPT, String.class))
                .size(header(message, GptImageConstants.SIZE, String.class))
                .filesUrl(listHeader(message.getHeader(GptImageConstants.FILES_URL)))
                .fileUrl(header(message, GptImageConstants.FILE_URL, String.class))
                .maskUrl(header(message, GptImageConstants.MASK_URL, String.class))
                .nVariants(intHeader(message, GptImageConstants.VARIANTS))
                .enhance(booleanHeader(message, GptImageConstants.ENHANCE))
                .enableFallback(booleanHeader(message, GptImageConstants.ENABLE_FALLBACK))
                .fallbackModel(header(message, GptImageConstants.FALLBACK_MODEL, String.class))
                .callBackUrl(header(message, GptImageConstants.CALLBACK_URL, String.class))
                .build();
    }

    private static <T> T header(Message message, String name, Class<T> type) {
        try {
            return message.getHeader(name, type);
        } catch (TypeConversionException e) {
            throw new GptImageValidationException(
                    "header " + name + " cannot be read as " + type.getSimpleName() + ": "
                                                  + message.getHeader(name));
        }
    }

    /** An Integer header, refused unless it converts exactly (2.5 or "two" are not sent as 2 or 0). */
    private static Integer intHeader(Message message, String name) {
        Object value = message.getHeader(name);
        if (value == null) {
            return null;
        }
        Long whole = StrictValues.wholeNumber(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (whole == null) {
            throw new GptImageValidationException("header " + name + " cannot be read as Integer: " + describe(value)
                                                  + " is not a whole number");
        }
        return whole.intValue();
    }

    /** A Boolean header, refused unless it is a Boolean or the text true or false ("yes" is not sent as false). */
    private static Boolean booleanHeader(Message message, String name) {
        Object value = message.getHeader(name);
        if (value == null) {
            return null;
        }
        Boolean flag = StrictValues.bool(value);
        if (flag == null) {
            throw new GptImageValidationException("header " + name + " cannot be read as Boolean: " + describe(value)
                                                  + " is not true or false");
        }
        return flag;
    }

    /** The Map body's typed fields must convert exactly: Jackson would send nVariants 2.5 as 2. */
    private static void checkMapValues(Map<?, ?> fields) {
        Object variants = fields.get("nVariants");
        if (variants != null && StrictValues.wholeNumber(variants, Integer.MIN_VALUE, Integer.MAX_VALUE) == null) {
            throw new GptImageValidationException("the Map body's nVariants " + describe(variants)
                                                  + " is not a whole number");
        }
        for (String flag : List.of("isEnhance", "uploadCn", "enableFallback")) {
            Object value = fields.get(flag);
            if (value != null && StrictValues.bool(value) == null) {
                throw new GptImageValidationException("the Map body's " + flag + " " + describe(value)
                                                      + " is not true or false");
            }
        }
    }

    private static String describe(Object value) {
        return value instanceof String text ? "'" + text + "'" : String.valueOf(value);
    }

    private static List<String> listHeader(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).map(String::trim).toList();
        }
        if (value instanceof String[] values) {
            return Arrays.stream(values).map(String::trim).toList();
        }
        return splitList(value.toString());
    }

    static List<String> splitList(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String text = root.getMessage();
        int details = text != null ? text.indexOf(" (through reference chain") : -1;
        return details > 0 ? text.substring(0, details) : text;
    }
}
