package io.github.gptimage.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A plain JDK HTTP client for the simulator, as a test sees it from outside. */
final class ApiClient {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> FINAL_STATES = Set.of("SUCCESS", "GENERATE_FAILED", "CREATE_TASK_FAILED");

    /** One HTTP answer; {@code json} is null when the body is not JSON. */
    record Answer(int status, HttpResponse<byte[]> response, JsonNode json) {

        int code() {
            return json.path("code").asInt();
        }

        String msg() {
            return json.path("msg").asText();
        }

        JsonNode data() {
            return json.path("data");
        }

        String body() {
            return new String(response.body());
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String apiKey;

    ApiClient(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    /** A client of {@code simulator} with its default key. */
    static ApiClient withDefaultKey(GptImageSimulator simulator) {
        return new ApiClient(simulator.baseUrl(), GptImageSimulator.DEFAULT_API_KEY);
    }

    ApiClient withKey(String otherKey) {
        return new ApiClient(baseUrl, otherKey);
    }

    Answer generate(Map<String, ?> body) {
        return generateRaw(json(body));
    }

    Answer generateRaw(String body) {
        return send(post(GptImageSimulator.GENERATE_PATH, body));
    }

    Answer info(String taskId) {
        return send(post(GptImageSimulator.INFO_PATH + "?taskId=" + taskId, null));
    }

    Answer adminGet(String action) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/__sim/" + action)).GET());
    }

    Answer adminPost(String action, Map<String, ?> body) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/__sim/" + action))
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : json(body))));
    }

    Answer get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /** Creates a task and answers its id. */
    String createTask(Map<String, ?> body) {
        Answer answer = generate(body);
        assertThat(answer.code()).as(answer.body()).isEqualTo(200);
        return answer.data().path("taskId").asText();
    }

    /** Polls the task details (within the rate limit) until the task is final; answers the last data. */
    JsonNode awaitFinal(String taskId) {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(400))
                .until(() -> info(taskId).data(), data -> FINAL_STATES.contains(data.path("status").asText()));
    }

    HttpRequest.Builder post(String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            request.header(GptImageSimulator.API_KEY_HEADER, apiKey);
        }
        return request;
    }

    Answer send(HttpRequest.Builder request) {
        try {
            return sendOrThrow(request);
        } catch (IOException e) {
            throw new AssertionError("HTTP call failed", e);
        }
    }

    /** Sends without turning transport failures into assertion errors, for the fault scenarios. */
    Answer sendOrThrow(HttpRequest.Builder request) throws IOException {
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response, parse(response.body()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
