package io.github.gptimage.camel;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Camel context per test and a WireMock server per test class standing in for the GPT image API.
 */
abstract class GptImageTestSupport extends CamelTestSupport {

    static final String GENERATE_PATH = "/paid/gpt4o-image/generate";
    static final String INFO_PATH = "/paid/gpt4o-image/info";
    static final String API_KEY = "test-key-5ecr3t";

    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static WireMockExtension api = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    /** An endpoint URI pointing at WireMock, with the test key and the given extra options. */
    static String uri(String operation, String extraOptions) {
        String uri = "gptimage:" + operation + "?apiKey=RAW(" + API_KEY + ")&baseUrl=" + api.baseUrl();
        return extraOptions == null || extraOptions.isEmpty() ? uri : uri + "&" + extraOptions;
    }

    static String generateUri(String extraOptions) {
        return uri("generate", extraOptions);
    }

    static String generateUri() {
        return generateUri(null);
    }

    static void stubGenerate(String taskId) {
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"" + taskId + "\"}}")));
    }

    static void stubInfo(int httpStatus, String body) {
        api.stubFor(post(urlPathEqualTo(INFO_PATH)).willReturn(aResponse().withStatus(httpStatus)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    /** Sends a body and headers, returning the exchange (never throws: the failure is on the exchange). */
    Exchange send(String uri, Object body, Map<String, Object> headers) {
        return template.send(uri, exchange -> {
            exchange.getMessage().setBody(body);
            exchange.getMessage().setHeaders(new java.util.HashMap<>(headers));
        });
    }

    Exchange send(String uri, Object body) {
        return send(uri, body, Map.of());
    }

    /** The JSON body of the one generate request WireMock received. */
    static JsonNode onlyGenerateBody() throws Exception {
        List<LoggedRequest> requests = api.findAll(postRequestedFor(urlPathEqualTo(GENERATE_PATH)));
        assertThat(requests).as("generate requests").hasSize(1);
        return JSON.readTree(requests.get(0).getBodyAsString());
    }

    static void assertNoRequestSent() {
        api.verify(0, anyRequestedFor(anyUrl()));
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @SuppressWarnings("unchecked")
    static <T extends Throwable> T failure(Exchange exchange, Class<T> type) {
        assertThat(exchange.getException()).as("exchange exception").isInstanceOf(type);
        return (T) exchange.getException();
    }
}
