package io.github.gptimage.camel.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * The GPT image API as WireMock plays it for the cluster tests: generate answering a fresh task id per call, info
 * answering any task (its id taken from the request, templated), the callbacks the service would post, and look-ups
 * in WireMock's journal. (The component's own test helpers are package-private in another package: the few needed
 * here are repeated.)
 */
final class ClusterApi {

    static final String API_KEY = "cluster-key-5ecr3t";
    static final String GENERATE_PATH = "/paid/gpt4o-image/generate";
    static final String INFO_PATH = "/paid/gpt4o-image/info";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ClusterApi() {
    }

    /**
     * WireMock for many concurrent calls: enough server threads that hundreds of hanging info calls (a delayed answer holds
     * its thread) do not starve the others.
     */
    static WireMockConfiguration server() {
        return wireMockConfig().dynamicPort().containerThreads(400);
    }

    /** The same, with {@code journal} keeping the callBackUrl of every generate call as it is answered. */
    static WireMockConfiguration server(GenerateJournal journal) {
        return server().extensions(journal);
    }

    /**
     * The callBackUrl each generate call carried, by the task id WireMock answered it with (the request body and the
     * templated answer), recorded before the answer is sent: once a submit returned, its callback URL is known.
     */
    static final class GenerateJournal implements ServeEventListener {
        private final Map<String, String> callbackUrls = new ConcurrentHashMap<>();

        @Override
        public void beforeResponseSent(ServeEvent event, Parameters parameters) {
            if (!event.getRequest().getUrl().startsWith(GENERATE_PATH) || event.getResponse() == null) {
                return;
            }
            try {
                JsonNode sent = JSON.readTree(event.getRequest().getBodyAsString());
                JsonNode answered = JSON.readTree(event.getResponse().getBodyAsString());
                callbackUrls.put(answered.path("data").path("taskId").asText(), sent.path("callBackUrl").asText());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** The callBackUrl of the generate call that created {@code taskId}. */
        String callbackUrl(String taskId) {
            String url = callbackUrls.get(taskId);
            if (url == null) {
                throw new IllegalStateException("No generate call answered " + taskId);
            }
            return url;
        }

        /** The token of that URL: its last path segment. */
        String callbackToken(String taskId) {
            String url = callbackUrl(taskId);
            return url.substring(url.lastIndexOf('/') + 1);
        }

        void clear() {
            callbackUrls.clear();
        }

        @Override
        public String getName() {
            return "generate-journal";
        }
    }

    /** generate creates a new task per call, with a fresh random id. */
    static void stubGenerateFreshIds(WireMockExtension api) {
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(freshTaskId()));
    }

    static ResponseDefinitionBuilder freshTaskId() {
        return okJson("{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":"
                      + "\"task-{{randomValue length=20 type='ALPHANUMERIC'}}\"}}")
                .withTransformers("response-template");
    }

    /** info reports any task finished, with one result image named after it. */
    static void stubInfoSuccess(WireMockExtension api) {
        api.stubFor(post(urlPathEqualTo(INFO_PATH)).willReturn(infoSuccess()));
    }

    /** info reports any task still generating. */
    static void stubInfoGenerating(WireMockExtension api) {
        api.stubFor(post(urlPathEqualTo(INFO_PATH)).willReturn(infoGenerating()));
    }

    static ResponseDefinitionBuilder infoSuccess() {
        return info("SUCCESS", 1, "[\"https://cdn.example.com/{{request.query.taskId}}.png\"]", "1.00");
    }

    static ResponseDefinitionBuilder infoGenerating() {
        return info("GENERATING", 0, "[]", "0.40");
    }

    private static ResponseDefinitionBuilder info(String status, int successFlag, String resultUrls, String progress) {
        return okJson("{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"{{request.query.taskId}}\","
                      + "\"paramJson\":\"{}\",\"createTime\":1672561200000,\"response\":{\"resultUrls\":" + resultUrls
                      + "},\"successFlag\":" + successFlag + ",\"status\":\"" + status + "\",\"errorCode\":null,"
                      + "\"errorMessage\":null,\"progress\":\"" + progress + "\"}}")
                .withTransformers("response-template");
    }

    static int generateCalls(WireMockExtension api) {
        return api.findAll(postRequestedFor(urlPathEqualTo(GENERATE_PATH))).size();
    }

    static int infoCalls(WireMockExtension api) {
        return api.findAll(postRequestedFor(urlPathEqualTo(INFO_PATH))).size();
    }

    /** The success callback the service posts for a task. */
    static String successCallback(String taskId) {
        return "{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"" + taskId + "\",\"info\":{\"result_urls\":[\""
               + "https://cdn.example.com/" + taskId + ".png\"]}}}";
    }

    /** Posts a callback and returns the HTTP status answered. */
    static int postCallback(String url, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }
}
