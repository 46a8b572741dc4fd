package io.github.gptimage.examples.esb;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gptimage.examples.testing.JavaProcess;
import io.github.gptimage.examples.testing.ProcessTests;
import io.github.gptimage.examples.testing.StandaloneSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ESB service as a paying user starts it against the real service: {@code java -jar gptimage-esb-workflow.jar} in a
 * separate process, with {@code GPTIMAGE_API_KEY}, {@code GPTIMAGE_BASE_URL} and {@code ESB_HTTP_PORT} in its
 * environment, the service being the simulator's standalone jar (another process). An order posted over HTTP is
 * completed by the service's callback and its result posted to the application's own demo downstream system.
 */
class EsbWorkflowProcessIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(180)
    void anOrderIsCompletedByCallbackOnTheServiceOfTheEnvironmentAndTheKeyIsNeverPrinted() throws Exception {
        Path work = ProcessTests.freshFolder("esb-workflow");
        String key = ProcessTests.uniqueApiKey();
        int port = ProcessTests.freePort();
        try (StandaloneSimulator service = StandaloneSimulator.start(key, Duration.ofSeconds(1),
                work.resolve("simulator.log"))) {
            try (JavaProcess app = JavaProcess.builder().name("esb-workflow")
                    .arguments("-jar", ProcessTests.exampleJar().toString())
                    .env("GPTIMAGE_API_KEY", key)
                    .env("GPTIMAGE_BASE_URL", service.baseUrl())
                    .env("ESB_HTTP_PORT", String.valueOf(port))
                    .workDir(work).output(work.resolve("esb-workflow.log")).start()) {
                app.awaitOutput(Pattern.compile("Orders: POST http://localhost:" + port + "/orders"), PATIENCE);

                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                                URI.create("http://localhost:" + port + "/orders"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"orderId\":\"o-1\",\"prompt\":\"A lighthouse at dawn\",\"size\":\"3:2\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());

                assertThat(answer.statusCode()).as("answer %s", answer.body()).isEqualTo(202);
                String taskId = JSON.readTree(answer.body()).get("taskId").asText();
                Matcher received = app.awaitOutput(
                        Pattern.compile("downstream system received: (\\{\"orderId\":\"o-1\".*})"), PATIENCE);
                JsonNode result = JSON.readTree(received.group(1));
                assertThat(result.get("taskId").asText()).isEqualTo(taskId);
                assertThat(result.get("status").asText()).isEqualTo("SUCCESS");
                assertThat(result.get("resultUrls")).hasSize(1);
                String url = result.get("resultUrls").get(0).asText();
                assertThat(url).startsWith(service.baseUrl());
                BufferedImage image = ImageIO.read(new ByteArrayInputStream(service.download(url)));
                assertThat(image.getWidth()).isEqualTo(1536);
                assertThat(image.getHeight()).isEqualTo(1024);
                app.awaitOutput(Pattern.compile("order o-1: result delivered to"), PATIENCE);
                // polling starts after 30 s: the service's callback completed the order
                assertThat(service.stat("callbacksDelivered")).isEqualTo(1);
                assertThat(service.stat("tasksCreated")).isEqualTo(1);

                String output = app.output();
                assertThat(output).doesNotContain("No GPTIMAGE_API_KEY set");
                assertThat(output).as("the application's output").doesNotContain(key)
                        .contains("Property-placeholders summary")
                        .contains("gptimage.apikey = xxxxxx")
                        .contains("camel.component.gptimage.apiKey = xxxxxx");
            }
            assertThat(service.output()).as("the simulator's output").doesNotContain(key);
        }
    }
}
