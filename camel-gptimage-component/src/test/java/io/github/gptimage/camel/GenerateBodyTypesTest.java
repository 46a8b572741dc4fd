package io.github.gptimage.camel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.gptimage.camel.api.FallbackModel;
import io.github.gptimage.camel.api.GenerateRequest;
import io.github.gptimage.camel.api.ImageSize;
import io.github.gptimage.camel.error.GptImageValidationException;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The body types {@code gptimage:generate} accepts (a String prompt, a {@link GenerateRequest}, a Map under the API's
 * JSON names) and the ones it refuses before sending anything; the result is the task id as body and header.
 */
class GenerateBodyTypesTest extends GptImageTestSupport {

    @BeforeEach
    void stub() {
        stubGenerate("task-42");
    }

    @Test
    void stringBodyIsThePromptAndTheTaskIdIsTheResult() throws Exception {
        Exchange exchange = send(generateUri(), "A blue whale");

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getBody()).isEqualTo("task-42");
        assertThat(exchange.getMessage().getHeader(GptImageConstants.TASK_ID)).isEqualTo("task-42");
        assertThat(onlyGenerateBody()).isEqualTo(JSON.readTree(
                "{\"size\":\"1:1\",\"nVariants\":1,\"prompt\":\"A blue whale\"}"));
    }

    @Test
    void requestBodyTemplateReturnsTheTaskId() {
        assertThat(template.requestBody(generateUri(), "A blue whale", String.class)).isEqualTo("task-42");
    }

    @Test
    void generateRequestBodyIsSentWithEveryField() throws Exception {
        GenerateRequest request = GenerateRequest.builder()
                .size(ImageSize.LANDSCAPE)
                .prompt("Add a hat")
                .filesUrl("https://img.example.com/a.png", "https://img.example.com/b.jpeg")
                .maskUrl("https://img.example.com/mask.png")
                .nVariants(2)
                .enhance(true)
                .uploadCn(true)
                .enableFallback(true)
                .fallbackModel(FallbackModel.FLUX_MAX)
                .callBackUrl("https://hooks.example.com/cb")
                .build();

        Exchange exchange = send(generateUri(), request);

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getBody()).isEqualTo("task-42");
        assertThat(onlyGenerateBody()).isEqualTo(JSON.readTree("""
                {"size":"3:2","prompt":"Add a hat",
                 "filesUrl":["https://img.example.com/a.png","https://img.example.com/b.jpeg"],
                 "maskUrl":"https://img.example.com/mask.png","nVariants":2,"isEnhance":true,"uploadCn":true,
                 "enableFallback":true,"fallbackModel":"FLUX_MAX","callBackUrl":"https://hooks.example.com/cb"}
                """));
    }

    @Test
    void generateRequestBodyWithFalseBooleansSendsNoBooleans() throws Exception {
        send(generateUri(), GenerateRequest.builder().prompt("A cat").enhance(false).uploadCn(false)
                .enableFallback(false).build());

        assertThat(fieldNames(onlyGenerateBody())).containsExactlyInAnyOrder("size", "nVariants", "prompt");
    }

    @Test
    void mapBodyUsesTheApiJsonNames() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("prompt", "A forest");
        fields.put("size", "2:3");
        fields.put("filesUrl", List.of("https://img.example.com/a.png"));
        fields.put("maskUrl", "https://img.example.com/m.png");
        fields.put("nVariants", 4);
        fields.put("isEnhance", true);
        fields.put("uploadCn", true);
        fields.put("enableFallback", true);
        fields.put("fallbackModel", "GPT_IMAGE_1");
        fields.put("callBackUrl", "https://hooks.example.com/cb");

        Exchange exchange = send(generateUri(), fields);

        assertThat(exchange.getException()).isNull();
        assertThat(onlyGenerateBody()).isEqualTo(JSON.valueToTree(fields));
    }

    @Test
    void mapBodyWithAnUnknownKeyIsRefusedBeforeSending() {
        Exchange exchange = send(generateUri(), Map.of("prompt", "A forest", "enhance", true));

        GptImageValidationException error = failure(exchange, GptImageValidationException.class);
        assertThat(error.getMessage()).contains("Map body").contains("enhance");
        assertThat(error.getCode()).isZero();
        assertNoRequestSent();
    }

    @Test
    void byteArrayBodyIsRefusedBeforeSending() {
        Exchange exchange = send(generateUri(), new byte[] { 1, 2, 3 });

        GptImageValidationException error = failure(exchange, GptImageValidationException.class);
        assertThat(error.getMessage())
                .contains("String prompt, a GenerateRequest or a Map")
                .contains("byte[]".equals(byte[].class.getSimpleName()) ? "[B" : "byte");
        assertThat(error.isRetryable()).isFalse();
        assertNoRequestSent();
    }

    @Test
    void integerBodyIsRefusedBeforeSending() {
        Exchange exchange = send(generateUri(), 42);

        GptImageValidationException error = failure(exchange, GptImageValidationException.class);
        assertThat(error.getMessage()).contains("java.lang.Integer");
        assertNoRequestSent();
    }

    @Test
    void blankStringBodyWithoutOtherInputIsRefused() {
        Exchange exchange = send(generateUri(), "   ");

        assertThat(failure(exchange, GptImageValidationException.class).getMessage())
                .contains("a prompt or at least one filesUrl is required");
        assertNoRequestSent();
    }
}
