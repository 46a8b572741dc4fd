package io.github.gptimage.examples.esb;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gptimage.examples.testing.JavaProcess;
import io.github.gptimage.examples.testing.ProcessTests;
import io.github.gptimage.examples.testing.StandaloneSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of the ESB service while its tasks are pending, then a restart, as a user does it: {@code java -jar
 * gptimage-esb-workflow.jar} in its own process against the simulator's standalone jar (tasks take 5 s, a failed
 * callback is retried after 3, 10 and 30 s). 10 orders are answered 202, the process is killed at once (no shutdown
 * hook runs), the service's callbacks find nobody, and the service started again on the same port and task store (the
 * H2 file under {@code target/esb-workflow/store}) gets the retried callbacks, checks their tokens against the store
 * and completes every order once, without a new generate call.
 */
class EsbWorkflowRestartProcessIT {

    private static final int ORDERS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DELIVERED = Pattern.compile("downstream system received: (\\{\"orderId\":.*})");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(300)
    void ordersAcceptedBeforeAKillAreCompletedOnceAfterTheRestart() throws Exception {
        Path work = ProcessTests.freshFolder("esb-workflow-restart");
        String key = ProcessTests.uniqueApiKey();
        int port = ProcessTests.freePort();
        Pattern started = Pattern.compile("Orders: POST http://localhost:" + port + "/orders");
        try (StandaloneSimulator service = StandaloneSimulator.start(key, Duration.ofSeconds(5),
                work.resolve("simulator.log"), "--callback-retry-delays", "3s,10s,30s")) {
            Map<String, String> accepted = new LinkedHashMap<>();
            String firstOutput;
            try (JavaProcess first = start(work, key, service, port, "esb-workflow-1.log")) {
                first.awaitOutput(started, Duration.ofSeconds(90));
                for (int i = 1; i <= ORDERS; i++) {
                    String orderId = "o-" + i;
                    HttpResponse<String> answer = postOrder(port, "{\"orderId\":\"" + orderId + "\",\"prompt\":"
                            + "\"A lighthouse at dawn, number " + i + "\",\"size\":\"3:2\"}");
                    assertThat(answer.statusCode()).as("answer to %s: %s", orderId, answer.body()).isEqualTo(202);
                    accepted.put(orderId, JSON.readTree(answer.body()).get("taskId").asText());
                }
                first.killNow();
                firstOutput = first.output();
            }
            assertThat(firstOutput).doesNotContain("downstream system received");
            assertThat(service.stat("tasksCreated")).isEqualTo(ORDERS);
            // every task finished while nobody listened: its first callback failed
            awaitStat(service, "callbacksFailed", ORDERS, Duration.ofSeconds(60));

            try (JavaProcess second = start(work, key, service, port, "esb-workflow-2.log")) {
                second.awaitOutput(started, Duration.ofSeconds(90));
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (count(second.output(), "result delivered to") < ORDERS) {
                    assertThat(System.nanoTime()).as("10 results within 120 s of the restart; output:%n%s",
                            second.output()).isLessThan(deadline);
                    assertThat(second.isAlive()).as("the service runs; output:%n%s", second.output()).isTrue();
                    Thread.sleep(250);
                }
                Map<String, String> delivered = new TreeMap<>();
                Matcher results = DELIVERED.matcher(second.output());
                while (results.find()) {
                    JsonNode result = JSON.readTree(results.group(1));
                    assertThat(result.get("status").asText()).isEqualTo("SUCCESS");
                    assertThat(delivered.put(result.get("orderId").asText(), result.get("taskId").asText()))
                            .as("%s delivered once", result.get("orderId").asText()).isNull();
                }
                assertThat(delivered).isEqualTo(new TreeMap<>(accepted));
                assertThat(service.stat("generateCalls")).as("paid once per order").isEqualTo(ORDERS);
                assertThat(service.stat("tasksCreated")).isEqualTo(ORDERS);
                // completed by the retried callbacks: polling, the safety net, starts 2 minutes after a submit
                assertThat(service.stat("callbacksDelivered")).isEqualTo(ORDERS);
                String output = second.output();
                assertThat(output).doesNotContain("dead-lettered").doesNotContain(key);
                assertThat(firstOutput).doesNotContain(key);
            }
            assertThat(service.output()).doesNotContain(key);
        }
    }

    private static JavaProcess start(Path work, String key, StandaloneSimulator service, int port, String log)
            throws IOException {
        return JavaProcess.builder().name(log.replace(".log", ""))
                .arguments("-jar", ProcessTests.exampleJar().toString())
                .env("GPTIMAGE_API_KEY", key)
                .env("GPTIMAGE_BASE_URL", service.baseUrl())
                .env("ESB_HTTP_PORT", String.valueOf(port))
                .workDir(work).output(work.resolve(log)).start();
    }

    private HttpResponse<String> postOrder(int port, String order) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/orders"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(order)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitStat(StandaloneSimulator service, String stat, long value, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (service.stat(stat) < value) {
            assertThat(System.nanoTime()).as("%s reaches %d within %s", stat, value, timeout).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static int count(String text, String part) {
        Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
