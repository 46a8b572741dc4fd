package io.github.gptimage.camel;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * A Camel context per test and a WireMock server per test class standing in for the GPT image API, with the stubs and
 * request look-ups the completion tests share: generate answering a task id, info answering a sequence of statuses per
 * task (a WireMock scenario per task), and the info calls made for a task with their arrival times.
 */
abstract class CompletionTestSupport extends CamelTestSupport {

    static final String GENERATE_PATH = "/paid/gpt4o-image/generate";
    static final String INFO_PATH = "/paid/gpt4o-image/info";
    static final String API_KEY = "completion-test-key";
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static WireMockExtension api = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    /** An endpoint URI pointing at WireMock with the test key and the given options ({@code a=1&b=2}). */
    static String uri(String operation, String options) {
        String uri = "gptimage:" + operation + "?apiKey=RAW(" + API_KEY + ")&baseUrl=" + api.baseUrl();
        return options == null || options.isEmpty() ? uri : uri + "&" + options;
    }

    /** The tasks consumer, polling every 100 ms from the start. */
    static String tasksUri(String options) {
        return uri("tasks", "initialDelay=0&delay=100" + (options == null || options.isEmpty() ? "" : "&" + options));
    }

    /** generate answers {@code taskId} once per call (a different id per call needs {@link #stubGenerateSequence}). */
    static void stubGenerate(String taskId) {
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(okJson(created(taskId))));
    }

    /** generate answers the given ids, one per call, in order. */
    static void stubGenerateSequence(String... taskIds) {
        String state = Scenario.STARTED;
        for (int i = 0; i < taskIds.length; i++) {
            String next = "generated-" + (i + 1);
            api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).inScenario("generate").whenScenarioStateIs(state)
                    .willReturn(okJson(created(taskIds[i]))).willSetStateTo(next));
            state = next;
        }
    }

    static String created(String taskId) {
        return "{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"" + taskId + "\"}}";
    }

    /**
     * info for {@code taskId} answers the given responses one per call, in order; the last one repeats.
     */
    static void stubInfoSequence(String taskId, ResponseDefinitionBuilder... responses) {
        String scenario = "info-" + taskId;
        String state = Scenario.STARTED;
        for (int i = 0; i < responses.length; i++) {
            boolean last = i == responses.length - 1;
            String next = "polled-" + (i + 1);
            var stub = post(urlPathEqualTo(INFO_PATH)).withQueryParam("taskId", equalTo(taskId))
                    .inScenario(scenario).whenScenarioStateIs(state).willReturn(responses[i]);
            api.stubFor(last ? stub : stub.willSetStateTo(next));
            state = next;
        }
    }

    /** info for {@code taskId} always answers {@code response}. */
    static void stubInfo(String taskId, ResponseDefinitionBuilder response) {
        api.stubFor(post(urlPathEqualTo(INFO_PATH)).withQueryParam("taskId", equalTo(taskId)).willReturn(response));
    }

    static ResponseDefinitionBuilder generating(String taskId) {
        return okJson(info(taskId, "GENERATING", 0, "[]", null, null, "0.40"));
    }

    static ResponseDefinitionBuilder success(String taskId, String... resultUrls) {
        StringBuilder urls = new StringBuilder("[");
        for (int i = 0; i < resultUrls.length; i++) {
            urls.append(i > 0 ? "," : "").append('"').append(resultUrls[i]).append('"');
        }
        return okJson(info(taskId, "SUCCESS", 1, urls.append(']').toString(), null, null, "1.00"));
    }

    static ResponseDefinitionBuilder failed(String taskId, String status, String errorCode, String errorMessage) {
        return okJson(info(taskId, status, 2, "[]", errorCode, errorMessage, "0.00"));
    }

    private static String info(String taskId, String status, int successFlag, String resultUrls, String errorCode,
                               String errorMessage, String progress) {
        return "{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"" + taskId + "\",\"paramJson\":\"{}\","
               + "\"createTime\":1672561200000,\"response\":{\"resultUrls\":" + resultUrls + "},"
               + "\"successFlag\":" + successFlag + ",\"status\":\"" + status + "\","
               + "\"errorCode\":" + (errorCode == null ? "null" : "\"" + errorCode + "\"") + ","
               + "\"errorMessage\":" + (errorMessage == null ? "null" : "\"" + errorMessage + "\"") + ","
               + "\"progress\":\"" + progress + "\"}}";
    }

    /** An envelope error answered with HTTP 200, as the service does. */
    static ResponseDefinitionBuilder apiError(int code, String msg) {
        return okJson("{\"code\":" + code + ",\"msg\":\"" + msg + "\",\"data\":null}");
    }

    static ResponseDefinitionBuilder httpError(int status) {
        return aResponse().withStatus(status).withBody("");
    }

    /** The info calls received for a task. */
    static List<LoggedRequest> infoCalls(String taskId) {
        return api.findAll(postRequestedFor(urlPathEqualTo(INFO_PATH)).withQueryParam("taskId", equalTo(taskId)));
    }

    static int infoCallCount(String taskId) {
        return infoCalls(taskId).size();
    }

    static int allInfoCallCount() {
        return api.findAll(postRequestedFor(urlPathEqualTo(INFO_PATH))).size();
    }

    /** When WireMock received each info call for the task, in milliseconds, oldest first. */
    static List<Long> infoCallTimes(String taskId) {
        List<Long> times = new ArrayList<>();
        for (ServeEvent event : api.getAllServeEvents()) {
            LoggedRequest request = event.getRequest();
            if (request.getUrl().startsWith(INFO_PATH) && taskId.equals(request.queryParameter("taskId").firstValue())) {
                Date logged = request.getLoggedDate();
                times.add(logged.getTime());
            }
        }
        times.sort(Long::compare);
        return times;
    }

    /** The JSON bodies of the generate calls received, oldest first. */
    static List<JsonNode> generateBodies() throws Exception {
        List<JsonNode> bodies = new ArrayList<>();
        for (LoggedRequest request : api.findAll(postRequestedFor(urlPathEqualTo(GENERATE_PATH)))) {
            bodies.add(JSON.readTree(request.getBodyAsString()));
        }
        return bodies;
    }

    /** Submits a prompt to a generate endpoint and returns the exchange; the failure, if any, is on it. */
    Exchange submit(String generateUri, Map<String, Object> headers) {
        return template.send(generateUri, exchange -> {
            exchange.getMessage().setHeaders(new HashMap<>(headers));
            exchange.getMessage().setBody("A lighthouse at dawn, watercolour");
        });
    }

    Exchange submit(String generateUri) {
        return submit(generateUri, Map.of());
    }

    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
