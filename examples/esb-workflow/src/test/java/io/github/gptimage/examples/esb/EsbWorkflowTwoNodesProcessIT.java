package io.github.gptimage.examples.esb;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gptimage.examples.testing.JavaProcess;
import io.github.gptimage.examples.testing.ProcessTests;
import io.github.gptimage.examples.testing.StandaloneSimulator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes of the ESB service on one PostgreSQL database, as the README runs them: two {@code java -jar
 * gptimage-esb-workflow.jar} processes with their own {@code esb.http.port} and {@code node-id}, the same
 * {@code esb.store-url}, and one callback address for both (node A's, standing in for a load balancer). Orders posted
 * to node B are completed by the callbacks that node A receives: A finds their tokens in the shared store. An order
 * posted again on the other node gets the task of its first post.
 */
class EsbWorkflowTwoNodesProcessIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DELIVERED = Pattern.compile("downstream system received: (\\{\"orderId\":.*})");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(300)
    void twoNodesOnOnePostgresqlDatabaseCompleteEveryOrderOnce() throws Exception {
        Path work = ProcessTests.freshFolder("esb-workflow-two-nodes");
        String key = ProcessTests.uniqueApiKey();
        int portA = ProcessTests.freePort();
        int portB = ProcessTests.freePort();
        try (EmbeddedPostgres database = EmbeddedPostgres.builder().start();
             StandaloneSimulator service = StandaloneSimulator.start(key, Duration.ofSeconds(3),
                     work.resolve("simulator.log"))) {
            String storeUrl = database.getJdbcUrl("postgres", "postgres");
            try (JavaProcess a = node(work, "a", portA, portA, storeUrl, key, service);
                 JavaProcess b = node(work, "b", portB, portA, storeUrl, key, service)) {
                a.awaitOutput(Pattern.compile("Orders: POST http://localhost:" + portA + "/orders"),
                        Duration.ofSeconds(90));
                b.awaitOutput(Pattern.compile("Tasks: jdbc:postgresql:.* \\(node esb-b\\)"), Duration.ofSeconds(90));

                Map<String, String> accepted = new TreeMap<>();
                for (int i = 1; i <= 10; i++) {
                    String orderId = String.format("o-%02d", i);
                    HttpResponse<String> answer = postOrder(i <= 5 ? portA : portB, "{\"orderId\":\"" + orderId
                            + "\",\"prompt\":\"A harbour at dusk, number " + i + "\"}");
                    assertThat(answer.statusCode()).as("answer to %s: %s", orderId, answer.body()).isEqualTo(202);
                    accepted.put(orderId, JSON.readTree(answer.body()).get("taskId").asText());
                }
                // posted again, on the other node: the key is in the shared store
                HttpResponse<String> again = postOrder(portA, "{\"orderId\":\"o-06\",\"prompt\":\"A harbour at dusk,"
                        + " number 6\"}");
                assertThat(again.statusCode()).as("answer %s", again.body()).isEqualTo(200);
                assertThat(JSON.readTree(again.body()).get("taskId").asText()).isEqualTo(accepted.get("o-06"));

                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (count(a.output() + b.output(), "result delivered to") < 10) {
                    assertThat(System.nanoTime()).as("10 results within 120 s; node A:%n%s%nnode B:%n%s",
                            a.output(), b.output()).isLessThan(deadline);
                    Thread.sleep(250);
                }
                Thread.sleep(1000); // nothing more comes
                Map<String, String> delivered = new TreeMap<>();
                for (String output : new String[] {a.output(), b.output()}) {
                    Matcher results = DELIVERED.matcher(output);
                    while (results.find()) {
                        JsonNode result = JSON.readTree(results.group(1));
                        assertThat(delivered.put(result.get("orderId").asText(), result.get("taskId").asText()))
                                .as("%s delivered once", result.get("orderId").asText()).isNull();
                    }
                }
                assertThat(delivered).isEqualTo(accepted);
                assertThat(service.stat("generateCalls")).as("paid once per order").isEqualTo(10);
                // every callback went to node A, also those of the orders node B took
                assertThat(service.stat("callbacksDelivered")).isEqualTo(10);
                assertThat(count(a.output(), "result delivered to")).isEqualTo(10);
                assertThat(a.output() + b.output()).doesNotContain("dead-lettered").doesNotContain(key);
            }
        }
    }

    private static JavaProcess node(Path work, String name, int port, int callbackPort, String storeUrl, String key,
                                    StandaloneSimulator service) throws IOException {
        return JavaProcess.builder().name("node " + name)
                .arguments("-jar", ProcessTests.exampleJar().toString(),
                        "--esb.http.port=" + port,
                        "--esb.public-url=http://localhost:" + callbackPort,
                        "--esb.store-url=" + storeUrl,
                        "--esb.store-user=postgres",
                        "--camel.component.gptimage.node-id=esb-" + name)
                .env("GPTIMAGE_API_KEY", key)
                .env("GPTIMAGE_BASE_URL", service.baseUrl())
                .workDir(work.resolve(name)).output(work.resolve("node-" + name + ".log")).start();
    }

    private HttpResponse<String> postOrder(int port, String order) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/orders"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(order)).build(), HttpResponse.BodyHandlers.ofString());
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
