package io.github.gptimage.camel;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.github.gptimage.camel.ApiStubs.GENERATE_PATH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint option and header of {@code gptimage:generate} reaches its exact JSON field of the API, and only the
 * fields that are set are sent: size and nVariants always, booleans only when true, strings and lists only when set.
 */
class GenerateRequestFieldMappingTest extends GptImageTestSupport {

    @BeforeEach
    void stub() {
        stubGenerate("task-1");
    }

    @Test
    void promptOnlySendsSizeAndVariantDefaultsAndTheKeyHeader() throws Exception {
        Exchange exchange = send(generateUri(), "A red fox in the snow");

        assertThat(exchange.getException()).isNull();
        api.verify(postRequestedFor(urlEqualTo(GENERATE_PATH))
                .withHeader("x-api-key", equalTo(API_KEY))
                .withHeader("Content-Type", com.github.tomakehurst.wiremock.client.WireMock.containing("application/json"))
                .withRequestBody(equalToJson("{\"size\":\"1:1\",\"nVariants\":1,\"prompt\":\"A red fox in the snow\"}")));
        assertThat(fieldNames(onlyGenerateBody())).containsExactlyInAnyOrder("size", "nVariants", "prompt");
    }

    @Test
    void everyEndpointOptionReachesItsJsonField() throws Exception {
        String options = "size=2:3&prompt=A lighthouse&filesUrl=https://img.example.com/a.png, https://img.example.com/b.jpg"
                         + "&maskUrl=https://img.example.com/mask.png&nVariants=4&enhance=true&uploadCn=true"
                         + "&enableFallback=true&fallbackModel=GPT_IMAGE_1&callbackUrl=https://hooks.example.com/cb";

        Exchange exchange = send(generateUri(options), null);

        assertThat(exchange.getException()).isNull();
        JsonNode body = onlyGenerateBody();
        assertThat(body).isEqualTo(JSON.readTree("""
                {"size":"2:3","prompt":"A lighthouse",
                 "filesUrl":["https://img.example.com/a.png","https://img.example.com/b.jpg"],
                 "maskUrl":"https://img.example.com/mask.png","nVariants":4,"isEnhance":true,"uploadCn":true,
                 "enableFallback":true,"fallbackModel":"GPT_IMAGE_1","callBackUrl":"https://hooks.example.com/cb"}
                """));
    }

    @Test
    void falseBooleanOptionsAreNotSent() throws Exception {
        send(generateUri("enhance=false&uploadCn=false&enableFallback=false"), "A cat");

        assertThat(fieldNames(onlyGenerateBody())).containsExactlyInAnyOrder("size", "nVariants", "prompt");
    }

    @Test
    void everyHeaderReachesItsJsonField() throws Exception {
        Exchange exchange = send(generateUri(), null, Map.of(
                GptImageConstants.PROMPT, "A castle",
                GptImageConstants.SIZE, "3:2",
                GptImageConstants.FILES_URL, List.of("https://img.example.com/a.webp"),
                GptImageConstants.MASK_URL, "https://img.example.com/m.png",
                GptImageConstants.VARIANTS, 2,
                GptImageConstants.ENHANCE, true,
                GptImageConstants.ENABLE_FALLBACK, true,
                GptImageConstants.FALLBACK_MODEL, "FLUX_MAX",
                GptImageConstants.CALLBACK_URL, "https://hooks.example.com/cb"));

        assertThat(exchange.getException()).isNull();
        assertThat(onlyGenerateBody()).isEqualTo(JSON.readTree("""
                {"size":"3:2","prompt":"A castle","filesUrl":["https://img.example.com/a.webp"],
                 "maskUrl":"https://img.example.com/m.png","nVariants":2,"isEnhance":true,
                 "enableFallback":true,"fallbackModel":"FLUX_MAX","callBackUrl":"https://hooks.example.com/cb"}
                """));
    }

    @Test
    void headerValuesAsStringsAreConverted() throws Exception {
        send(generateUri(), null, Map.of(
                GptImageConstants.PROMPT, "A castle",
                GptImageConstants.FILES_URL, "https://img.example.com/a.png, https://img.example.com/b.png",
                GptImageConstants.VARIANTS, "4",
                GptImageConstants.ENHANCE, "true"));

        assertThat(onlyGenerateBody()).isEqualTo(JSON.readTree("""
                {"size":"1:1","prompt":"A castle","nVariants":4,"isEnhance":true,
                 "filesUrl":["https://img.example.com/a.png","https://img.example.com/b.png"]}
                """));
    }

    @Test
    void falseBooleanHeadersAreNotSent() throws Exception {
        send(generateUri(), "A cat", Map.of(GptImageConstants.ENHANCE, false,
                GptImageConstants.ENABLE_FALLBACK, false));

        assertThat(fieldNames(onlyGenerateBody())).containsExactlyInAnyOrder("size", "nVariants", "prompt");
    }

    @Test
    void deprecatedFileUrlHeaderIsSentAsOneElementFilesUrl() throws Exception {
        send(generateUri(), null, Map.of(GptImageConstants.FILE_URL, "https://img.example.com/one.png"));

        JsonNode body = onlyGenerateBody();
        assertThat(body).isEqualTo(JSON.readTree(
                "{\"size\":\"1:1\",\"nVariants\":1,\"filesUrl\":[\"https://img.example.com/one.png\"]}"));
        assertThat(body.has("fileUrl")).isFalse();
    }

    @Test
    void deprecatedFileUrlMapKeyIsSentAsOneElementFilesUrl() throws Exception {
        send(generateUri(), Map.of("fileUrl", "https://img.example.com/one.png", "prompt", "Make it blue"));

        assertThat(onlyGenerateBody()).isEqualTo(JSON.readTree("""
                {"size":"1:1","nVariants":1,"prompt":"Make it blue","filesUrl":["https://img.example.com/one.png"]}
                """));
    }

    @Test
    @SuppressWarnings("deprecation")
    void deprecatedFileUrlOfTheBuilderIsSentAsOneElementFilesUrl() throws Exception {
        send(generateUri(), io.github.gptimage.camel.api.GenerateRequest.builder()
                .fileUrl("https://img.example.com/one.png").build());

        assertThat(onlyGenerateBody()).isEqualTo(JSON.readTree(
                "{\"size\":\"1:1\",\"nVariants\":1,\"filesUrl\":[\"https://img.example.com/one.png\"]}"));
    }
}
