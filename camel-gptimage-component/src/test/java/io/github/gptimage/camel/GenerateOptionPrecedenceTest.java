package io.github.gptimage.camel;

import java.util.Map;

import io.github.gptimage.camel.api.GenerateRequest;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.gptimage.camel.ApiStubs.GENERATE_PATH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which layer wins when a field is set in several: header over body over endpoint option over component option.
 */
class GenerateOptionPrecedenceTest extends GptImageTestSupport {

    @BeforeEach
    void stub() {
        stubGenerate("task-p");
    }

    private GptImageConfiguration componentDefaults() {
        return context.getComponent("gptimage", GptImageComponent.class).getConfiguration();
    }

    @Test
    void componentOptionsAreTheDefaultsOfEveryEndpoint() throws Exception {
        componentDefaults().setApiKey("component-key");
        componentDefaults().setBaseUrl(api.baseUrl());
        componentDefaults().setSize("2:3");
        componentDefaults().setNVariants(2);
        componentDefaults().setEnhance(true);
        componentDefaults().setCallbackUrl("https://hooks.example.com/component");

        Exchange exchange = send("gptimage:generate", "A dog");

        assertThat(exchange.getException()).isNull();
        api.verify(postRequestedFor(urlPathEqualTo(GENERATE_PATH)).withHeader("x-api-key", equalTo("component-key")));
        assertThat(onlyGenerateBody()).isEqualTo(JSON.readTree("""
                {"size":"2:3","nVariants":2,"prompt":"A dog","isEnhance":true,
                 "callBackUrl":"https://hooks.example.com/component"}"""));
    }

    @Test
    void endpointOptionWinsOverComponentOption() throws Exception {
        componentDefaults().setApiKey("component-key");
        componentDefaults().setSize("2:3");
        componentDefaults().setEnhance(true);
        componentDefaults().setPrompt("component prompt");

        send(generateUri("size=3:2&enhance=false&prompt=endpoint prompt"), null);

        api.verify(postRequestedFor(urlPathEqualTo(GENERATE_PATH)).withHeader("x-api-key", equalTo(API_KEY)));
        assertThat(onlyGenerateBody()).isEqualTo(JSON.readTree(
                "{\"size\":\"3:2\",\"nVariants\":1,\"prompt\":\"endpoint prompt\"}"));
    }

    @Test
    void stringBodyWinsOverThePromptOption() throws Exception {
        send(generateUri("prompt=endpoint prompt"), "body prompt");

        assertThat(onlyGenerateBody().get("prompt").asText()).isEqualTo("body prompt");
    }

    @Test
    void bodyWinsOverEndpointOptions() throws Exception {
        send(generateUri("size=3:2&nVariants=4&enhance=true&callbackUrl=https://hooks.example.com/endpoint"),
                GenerateRequest.builder().prompt("body prompt").size("2:3").nVariants(2).enhance(false)
                        .callBackUrl("https://hooks.example.com/body").build());

        assertThat(onlyGenerateBody()).isEqualTo(JSON.readTree("""
                {"size":"2:3","nVariants":2,"prompt":"body prompt","callBackUrl":"https://hooks.example.com/body"}"""));
    }

    @Test
    void mapBodyWinsOverEndpointOptionsAndKeepsTheOthers() throws Exception {
        send(generateUri("size=3:2&maskUrl=https://img.example.com/m.png&filesUrl=https://img.example.com/a.png"),
                Map.of("prompt", "map prompt", "size", "1:1"));

        assertThat(onlyGenerateBody()).isEqualTo(JSON.readTree("""
                {"size":"1:1","nVariants":1,"prompt":"map prompt","maskUrl":"https://img.example.com/m.png",
                 "filesUrl":["https://img.example.com/a.png"]}"""));
    }

    @Test
    void headersWinOverBodyAndOptions() throws Exception {
        send(generateUri("size=3:2&nVariants=4&fallbackModel=GPT_IMAGE_1&enableFallback=true"),
                GenerateRequest.builder().prompt("body prompt").size("2:3").nVariants(2).enhance(true)
                        .maskUrl("https://img.example.com/body-mask.png")
                        .filesUrl("https://img.example.com/body.png")
                        .callBackUrl("https://hooks.example.com/body").build(),
                Map.of(GptImageConstants.PROMPT, "header prompt",
                        GptImageConstants.SIZE, "1:1",
                        GptImageConstants.VARIANTS, 1,
                        GptImageConstants.ENHANCE, false,
                        GptImageConstants.ENABLE_FALLBACK, false,
                        GptImageConstants.FALLBACK_MODEL, "FLUX_MAX",
                        GptImageConstants.MASK_URL, "https://img.example.com/header-mask.png",
                        GptImageConstants.FILES_URL, "https://img.example.com/header.png",
                        GptImageConstants.CALLBACK_URL, "https://hooks.example.com/header"));

        assertThat(onlyGenerateBody()).isEqualTo(JSON.readTree("""
                {"size":"1:1","nVariants":1,"prompt":"header prompt","fallbackModel":"FLUX_MAX",
                 "maskUrl":"https://img.example.com/header-mask.png","filesUrl":["https://img.example.com/header.png"],
                 "callBackUrl":"https://hooks.example.com/header"}"""));
    }

    @Test
    void promptHeaderWinsOverStringBody() throws Exception {
        send(generateUri(), "body prompt", Map.of(GptImageConstants.PROMPT, "header prompt"));

        assertThat(onlyGenerateBody().get("prompt").asText()).isEqualTo("header prompt");
    }
}
