package io.github.gptimage.camel;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.gptimage.camel.error.GptImageValidationException;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each validation rule refuses the request before anything is sent (and paid), with a message naming the problem;
 * the two questionable-but-valid combinations are sent with a warning.
 */
class GenerateValidationTest extends GptImageTestSupport {

    @BeforeEach
    void stub() {
        stubGenerate("task-v");
    }

    static Stream<Arguments> invalidRequests() {
        List<String> sixFiles = List.of("https://i.example.com/1.png", "https://i.example.com/2.png",
                "https://i.example.com/3.png", "https://i.example.com/4.png", "https://i.example.com/5.png",
                "https://i.example.com/6.png");
        return Stream.of(
                invalidHeaders("size 4:3", Map.of(GptImageConstants.SIZE, "4:3"),
                        "size '4:3' is not one of 1:1, 3:2, 2:3"),
                invalidHeaders("size 1024x1024", Map.of(GptImageConstants.SIZE, "1024x1024"), "size '1024x1024'"),
                invalidHeaders("nVariants 3", Map.of(GptImageConstants.VARIANTS, 3), "nVariants 3 is not 1, 2 or 4"),
                invalidHeaders("nVariants 0", Map.of(GptImageConstants.VARIANTS, 0), "nVariants 0"),
                invalidHeaders("six files", Map.of(GptImageConstants.FILES_URL, sixFiles), "filesUrl has 6 URLs"),
                invalidHeaders("file: URL", Map.of(GptImageConstants.FILES_URL, "file:/tmp/a.png"),
                        "filesUrl 'file:/tmp/a.png' is not an absolute http(s) URL"),
                invalidHeaders("relative URL", Map.of(GptImageConstants.FILES_URL, "/relative.png"),
                        "filesUrl '/relative.png' is not an absolute http(s) URL"),
                invalidHeaders("ftp URL", Map.of(GptImageConstants.FILES_URL, "ftp://x/a.png"),
                        "filesUrl 'ftp://x/a.png' is not an absolute http(s) URL"),
                invalidHeaders("gif file", Map.of(GptImageConstants.FILES_URL, "https://i.example.com/a.gif"),
                        "is a .gif file"),
                invalidHeaders("bmp file", Map.of(GptImageConstants.FILES_URL, "https://i.example.com/a.BMP?x=1"),
                        "is a .bmp file"),
                invalidHeaders("file: mask", Map.of(GptImageConstants.MASK_URL, "file:/tmp/m.png"),
                        "maskUrl 'file:/tmp/m.png' is not an absolute http(s) URL"),
                invalidHeaders("relative mask", Map.of(GptImageConstants.MASK_URL, "mask.png"),
                        "maskUrl 'mask.png' is not an absolute http(s) URL"),
                invalidHeaders("gif mask", Map.of(GptImageConstants.MASK_URL, "https://i.example.com/m.gif"),
                        "maskUrl https://i.example.com/m.gif is a .gif file"),
                invalidHeaders("ftp callback", Map.of(GptImageConstants.CALLBACK_URL, "ftp://hooks.example.com/cb"),
                        "callBackUrl 'ftp://hooks.example.com/cb' is not an absolute http(s) URL"),
                invalidHeaders("unknown fallback model",
                        Map.of(GptImageConstants.FALLBACK_MODEL, "DALL_E_3", GptImageConstants.ENABLE_FALLBACK, true),
                        "fallbackModel 'DALL_E_3' is not GPT_IMAGE_1 or FLUX_MAX"),
                Arguments.of("neither prompt nor files", "size=3:2", null, Map.of(),
                        List.of("a prompt or at least one filesUrl is required")),
                Arguments.of("invalid map body value", null, Map.of("prompt", "A cat", "size", "16:9"), Map.of(),
                        List.of("size '16:9'")),
                Arguments.of("unreadable header", null, "A cat", Map.of(GptImageConstants.VARIANTS, "two"),
                        List.of(GptImageConstants.VARIANTS, "two")),
                // values that do not convert exactly are refused, not sent as false, 2 or 0
                invalidHeaders("enhance yes", Map.of(GptImageConstants.ENHANCE, "yes"),
                        "header CamelGptImageEnhance cannot be read as Boolean: 'yes' is not true or false"),
                invalidHeaders("enableFallback 1", Map.of(GptImageConstants.ENABLE_FALLBACK, 1),
                        "header CamelGptImageEnableFallback cannot be read as Boolean: 1 is not true or false"),
                invalidHeaders("nVariants 2.5", Map.of(GptImageConstants.VARIANTS, 2.5),
                        "header CamelGptImageVariants cannot be read as Integer: 2.5 is not a whole number"),
                invalidHeaders("nVariants '2.5'", Map.of(GptImageConstants.VARIANTS, "2.5"),
                        "header CamelGptImageVariants cannot be read as Integer: '2.5' is not a whole number"),
                Arguments.of("map nVariants 2.5", null, Map.of("prompt", "A cat", "nVariants", 2.5), Map.of(),
                        List.of("the Map body's nVariants 2.5 is not a whole number")),
                Arguments.of("map isEnhance yes", null, Map.of("prompt", "A cat", "isEnhance", "yes"), Map.of(),
                        List.of("the Map body's isEnhance 'yes' is not true or false")),
                Arguments.of("map uploadCn 1", null, Map.of("prompt", "A cat", "uploadCn", 1), Map.of(),
                        List.of("the Map body's uploadCn 1 is not true or false")),
                // a prompt over gpt-image-1's 32,000 characters, however it comes
                invalidHeaders("1 MB prompt header", Map.of(GptImageConstants.PROMPT, "a".repeat(1_000_000)),
                        "the prompt has 1000000 characters; gpt-image-1 accepts at most 32000"),
                Arguments.of("long String body", null, "b".repeat(32_001), Map.of(),
                        List.of("the prompt has 32001 characters")),
                Arguments.of("long Map prompt", null, Map.of("prompt", "c".repeat(40_000)), Map.of(),
                        List.of("the prompt has 40000 characters")),
                Arguments.of("long GenerateRequest prompt", null,
                        io.github.gptimage.camel.api.GenerateRequest.builder().prompt("d".repeat(32_001)).build(),
                        Map.of(), List.of("the prompt has 32001 characters")));
    }

    /** A valid prompt with one invalid header value (or combination of headers). */
    private static Arguments invalidHeaders(String name, Map<String, Object> headers, String message) {
        return Arguments.of(name, null, "A valid prompt", headers, List.of(message));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void invalidRequestIsRefusedWithoutSending(String name, String endpointOptions, Object body,
                                               Map<String, Object> headers, List<String> messageParts) {
        Exchange exchange = send(generateUri(endpointOptions), body, headers);

        GptImageValidationException error = failure(exchange, GptImageValidationException.class);
        assertThat(error.getMessage()).startsWith("Invalid GPT image request: ").contains(messageParts);
        assertThat(error.getCode()).isZero();
        assertThat(error.isRetryable()).isFalse();
        assertNoRequestSent();
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://i.example.com/a.png", "http://i.example.com/a.JPG", "https://i.example.com/a.jpeg",
            "https://i.example.com/a.webp", "https://i.example.com/a.jfif", "https://i.example.com/a.pjpeg",
            "https://i.example.com/a.pjp", "https://i.example.com/download?id=7" })
    void supportedImageUrlIsSent(String url) throws Exception {
        Exchange exchange = send(generateUri(), "Edit it", Map.of(GptImageConstants.FILES_URL, url));

        assertThat(exchange.getException()).isNull();
        assertThat(onlyGenerateBody().get("filesUrl").get(0).asText()).isEqualTo(url);
    }

    static Stream<Arguments> exactValues() {
        return Stream.of(Arguments.of("2", true), Arguments.of(2L, "TRUE"), Arguments.of(2.0, " false "),
                Arguments.of(new java.math.BigDecimal("2.00"), Boolean.TRUE));
    }

    @ParameterizedTest
    @MethodSource("exactValues")
    void headerValuesThatConvertExactlyAreSent(Object variants, Object enhance) throws Exception {
        Exchange exchange = send(generateUri(), "A cat",
                Map.of(GptImageConstants.VARIANTS, variants, GptImageConstants.ENHANCE, enhance));

        assertThat(exchange.getException()).isNull();
        assertThat(onlyGenerateBody().get("nVariants").asInt()).isEqualTo(2);
        boolean expected = Boolean.parseBoolean(enhance.toString().trim());
        assertThat(onlyGenerateBody().path("isEnhance").asBoolean(false)).isEqualTo(expected);
    }

    @Test
    void aPromptOfExactly32000CharactersIsSent() throws Exception {
        Exchange exchange = send(generateUri(), "e".repeat(32_000));

        assertThat(exchange.getException()).isNull();
        assertThat(onlyGenerateBody().get("prompt").asText()).hasSize(32_000);
    }

    @Test
    void fiveFilesAreSent() throws Exception {
        List<String> files = List.of("https://i.example.com/1.png", "https://i.example.com/2.png",
                "https://i.example.com/3.png", "https://i.example.com/4.png", "https://i.example.com/5.png");

        Exchange exchange = send(generateUri(), null, Map.of(GptImageConstants.FILES_URL, files));

        assertThat(exchange.getException()).isNull();
        assertThat(onlyGenerateBody().get("filesUrl")).hasSize(5);
    }

    @Test
    void maskWithSeveralFilesIsSentWithAWarning() throws Exception {
        Exchange exchange;
        try (LogCapture log = LogCapture.start()) {
            exchange = send(generateUri(), "Blend them", Map.of(
                    GptImageConstants.FILES_URL, "https://i.example.com/1.png,https://i.example.com/2.png",
                    GptImageConstants.MASK_URL, "https://i.example.com/m.png"));

            assertThat(log.lines()).anySatisfy(line -> assertThat(line)
                    .startsWith("WARN ")
                    .contains("maskUrl is ignored by the GPT image API when filesUrl holds more than one image (2 here)"));
        }
        assertThat(exchange.getException()).isNull();
        assertThat(onlyGenerateBody().get("maskUrl").asText()).isEqualTo("https://i.example.com/m.png");
    }

    @Test
    void fallbackModelWithoutEnableFallbackIsSentWithAWarning() throws Exception {
        Exchange exchange;
        try (LogCapture log = LogCapture.start()) {
            exchange = send(generateUri("fallbackModel=GPT_IMAGE_1"), "A cat");

            assertThat(log.lines()).anySatisfy(line -> assertThat(line)
                    .startsWith("WARN ")
                    .contains("fallbackModel GPT_IMAGE_1 has no effect without enableFallback=true"));
        }
        assertThat(exchange.getException()).isNull();
        assertThat(onlyGenerateBody()).isEqualTo(JSON.readTree(
                "{\"size\":\"1:1\",\"nVariants\":1,\"prompt\":\"A cat\",\"fallbackModel\":\"GPT_IMAGE_1\"}"));
    }

    @Test
    void validRequestLogsNoWarning() throws Exception {
        try (LogCapture log = LogCapture.start()) {
            send(generateUri("fallbackModel=GPT_IMAGE_1&enableFallback=true"), "A cat",
                    Map.of(GptImageConstants.FILES_URL, "https://i.example.com/1.png",
                            GptImageConstants.MASK_URL, "https://i.example.com/m.png"));

            assertThat(log.lines()).noneMatch(line -> line.startsWith("WARN ") && line.contains("gptimage"));
        }
        assertThat(onlyGenerateBody().get("enableFallback").asBoolean()).isTrue();
    }

    @Test
    void infoWithoutTaskIdIsRefusedWithoutSending() {
        Exchange exchange = send(uri("info", null), null);

        assertThat(failure(exchange, GptImageValidationException.class).getMessage())
                .contains("info needs a task id in the CamelGptImageTaskId header or a String body");
        assertNoRequestSent();
    }

    @Test
    void infoWithBlankTaskIdIsRefusedWithoutSending() {
        Exchange exchange = send(uri("info", null), "  ");

        failure(exchange, GptImageValidationException.class);
        assertNoRequestSent();
    }
}
