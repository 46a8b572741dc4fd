package io.github.gptimage.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The API simulator ({@code io.github.gptimage.simulator.Main}) in a JVM of its own, read through its admin API
 * ({@code /__sim/stats}, {@code /__sim/tasks}, {@code /__sim/reset}).
 */
final class SimulatorProcess implements AutoCloseable {

    static final String API_KEY = "bench-key";

    /** What the simulator knows of one task: its times in epoch milliseconds. */
    record SimTask(String taskId, long createTime, Long completeTime, String status) {
    }

    private final ChildJvm jvm;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = new ObjectMapper();

    private SimulatorProcess(ChildJvm jvm) {
        this.jvm = jvm;
    }

    static SimulatorProcess start(Duration completionTime) throws IOException, InterruptedException {
        return new SimulatorProcess(ChildJvm.start("simulator",
                List.of("-Xmx1g", "-Djava.awt.headless=true"), "io.github.gptimage.simulator.Main",
                List.of("--port", "0", "--completion-time", completionTime.toMillis() + "ms", "--api-key", API_KEY)));
    }

    String baseUrl() {
        return jvm.baseUrl();
    }

    ChildJvm jvm() {
        return jvm;
    }

    long infoCalls() throws IOException, InterruptedException {
        return admin("GET", "stats").path("infoCalls").asLong();
    }

    long generateCalls() throws IOException, InterruptedException {
        return admin("GET", "stats").path("generateCalls").asLong();
    }

    void reset() throws IOException, InterruptedException {
        admin("POST", "reset");
    }

    Map<String, SimTask> tasks() throws IOException, InterruptedException {
        Map<String, SimTask> tasks = new HashMap<>();
        for (JsonNode task : admin("GET", "tasks")) {
            JsonNode complete = task.get("completeTime");
            String id = task.path("taskId").asText();
            tasks.put(id, new SimTask(id, task.path("createTime").asLong(),
                    complete == null || complete.isNull() ? null : complete.asLong(), task.path("status").asText()));
        }
        return tasks;
    }

    private JsonNode admin(String method, String action) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/__sim/" + action))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(60))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode envelope = mapper.readTree(response.body());
        if (response.statusCode() != 200 || envelope.path("code").asInt() != 200) {
            throw new IOException("simulator admin " + action + " answered " + response.statusCode() + ": "
                                  + new String(response.body()));
        }
        return envelope.path("data");
    }

    @Override
    public void close() {
        jvm.close();
    }
}
