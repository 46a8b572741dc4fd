package io.github.gptimage.examples.esb;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.gptimage.camel.error.GptImageBadRequestException;
import io.github.gptimage.camel.error.GptImageGenerationFailedException;
import io.github.gptimage.simulator.ApiCall;
import io.github.gptimage.simulator.ApiTarget;
import io.github.gptimage.simulator.GptImageSimulator;
import io.github.gptimage.simulator.SimulatorStats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole flow over real HTTP: orders posted to the application, tasks on the simulator, completions by callback,
 * results posted to a WireMock downstream, dead letters in a folder.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EsbWorkflowApplicationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path deadLetters;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService runner = Executors.newSingleThreadExecutor();
    private GptImageSimulator simulator;
    private WireMockServer downstream;
    private EsbWorkflowApplication app;
    private Future<?> running;
    private String ordersUrl;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        deadLetters = dir.resolve("dead-letter");
        simulator = GptImageSimulator.builder().completionTime(Duration.ofMillis(500)).apiKey("test-key").build()
                .start();
        downstream = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        downstream.start();
        int port = freePort();
        ordersUrl = "http://localhost:" + port + "/orders";
        app = new EsbWorkflowApplication(Map.of(
                "esb.http.port", String.valueOf(port),
                "esb.result-url", downstream.baseUrl() + "/image-results",
                "esb.dead-letter-dir", deadLetters.toString(),
                "esb.store-url", "jdbc:h2:file:" + dir.resolve("store/gptimage") + ";WRITE_DELAY=0",
                "esb.redelivery-delay", "100",
                ApiTarget.API_KEY_PROPERTY, "test-key",
                "camel.component.gptimage.base-url", simulator.baseUrl(),
                // polling could not complete anything during a test: only a callback can
                "camel.component.gptimage.poll-initial-delay", "10m",
                "camel.component.gptimage.poll-max-interval", "10m"), Map.of());
        running = runner.submit(() -> {
            app.run();
            return null;
        });
        await().atMost(PATIENCE).until(() -> app.isStarted() || running.isDone());
        assertThat(app.isStarted()).as("application started").isTrue();
    }

    @BeforeEach
    void downstreamAccepts() {
        downstream.resetAll();
        downstream.stubFor(post(urlEqualTo("/image-results")).willReturn(aResponse().withStatus(200)));
    }

    @AfterAll
    void stop() throws Exception {
        app.stop();
        running.get(30, TimeUnit.SECONDS);
        runner.shutdownNow();
        downstream.stop();
        simulator.stop();
    }

    @Test
    void anOrderIsAcceptedAtOnceAndItsResultPostedDownstreamAfterTheCallback() throws Exception {
        SimulatorStats before = simulator.stats();

        HttpResponse<String> answer = postOrder("{\"orderId\":\"o-1\",\"prompt\":\"A lighthouse at dawn\",\"size\":\"3:2\"}");

        assertThat(answer.statusCode()).isEqualTo(202);
        JsonNode accepted = JSON.readTree(answer.body());
        assertThat(accepted.get("orderId").asText()).isEqualTo("o-1");
        assertThat(accepted.get("status").asText()).isEqualTo("ACCEPTED");
        String taskId = accepted.get("taskId").asText();
        assertThat(taskId).isNotBlank();

        JsonNode result = awaitResultFor("o-1");
        assertThat(result.get("taskId").asText()).isEqualTo(taskId);
        assertThat(result.get("status").asText()).isEqualTo("SUCCESS");
        List<String> urls = JSON.convertValue(result.get("resultUrls"), JSON.getTypeFactory()
                .constructCollectionType(List.class, String.class));
        assertThat(urls).hasSize(1);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(http.send(
                HttpRequest.newBuilder(URI.create(urls.get(0))).build(), HttpResponse.BodyHandlers.ofByteArray())
                .body()));
        assertThat(image.getWidth()).isEqualTo(1536);
        assertThat(image.getHeight()).isEqualTo(1024);

        // with polls 10 minutes away, the completion came by callback: one delivered, confirmed by one info call
        SimulatorStats after = simulator.stats();
        assertThat(after.callbacksDelivered() - before.callbacksDelivered()).isEqualTo(1);
        assertThat(after.infoCalls() - before.infoCalls()).isEqualTo(1);
        assertThat(simulator.task(taskId).orElseThrow().paramJson()).contains("/gptimage/callback/");
        assertThat(deadLetter("o-1")).doesNotExist();
    }

    @Test
    void anOrderPostedAgainGetsTheTaskOfTheFirstPostAndIsPaidOnce() throws Exception {
        long generateCalls = simulator.stats().generateCalls();
        String order = "{\"orderId\":\"o-8\",\"prompt\":\"A windmill in a tulip field\"}";

        HttpResponse<String> first = postOrder(order);
        HttpResponse<String> again = postOrder(order); // as a client does whose first answer was lost

        assertThat(first.statusCode()).isEqualTo(202);
        String taskId = JSON.readTree(first.body()).get("taskId").asText();
        assertThat(again.statusCode()).as("answer %s", again.body()).isEqualTo(200);
        JsonNode repeated = JSON.readTree(again.body());
        assertThat(repeated.get("taskId").asText()).isEqualTo(taskId);
        assertThat(repeated.get("status").asText()).isEqualTo("ALREADY_ACCEPTED");
        assertThat(awaitResultFor("o-8").get("taskId").asText()).isEqualTo(taskId);
        assertThat(simulator.stats().generateCalls() - generateCalls).isEqualTo(1);
        Thread.sleep(1000);
        assertThat(resultsFor("o-8")).as("one result downstream").hasSize(1);
    }

    @Test
    void aFailedTaskGoesToTheDeadLetterChannelNotDownstream() throws Exception {
        HttpResponse<String> answer = postOrder("{\"orderId\":\"o-2\",\"prompt\":\"A castle in the clouds [fail]\"}");

        assertThat(answer.statusCode()).isEqualTo(202);
        String taskId = JSON.readTree(answer.body()).get("taskId").asText();

        Path letter = deadLetter("o-2");
        await().atMost(PATIENCE).until(() -> Files.exists(letter) && Files.size(letter) > 0);
        JsonNode dead = JSON.readTree(letter.toFile());
        assertThat(dead.get("orderId").asText()).isEqualTo("o-2");
        assertThat(dead.get("taskId").asText()).isEqualTo(taskId);
        assertThat(dead.get("stage").asText()).isEqualTo("completion");
        assertThat(dead.get("error").asText()).isEqualTo("io.github.gptimage.camel.error.GptImageGenerationFailedException");
        assertThat(dead.get("message").asText()).contains("failed with code 400");
        assertThat(downstream.findAll(postRequestedFor(urlEqualTo("/image-results")))).isEmpty();
    }

    @Test
    void anOrderTheServiceRefusesIsAnswered422AndDeadLettered() throws Exception {
        HttpResponse<String> answer = postOrder("{\"orderId\":\"o-3\",\"prompt\":\"Something flagged [policy]\"}");

        assertThat(answer.statusCode()).isEqualTo(422);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("orderId").asText()).isEqualTo("o-3");
        assertThat(body.get("stage").asText()).isEqualTo("intake");
        assertThat(body.get("error").asText()).isEqualTo("io.github.gptimage.camel.error.GptImageBadRequestException");
        JsonNode dead = JSON.readTree(deadLetter("o-3").toFile());
        assertThat(dead.get("error").asText()).isEqualTo("io.github.gptimage.camel.error.GptImageBadRequestException");
    }

    @Test
    void aRefusalAfterAServerErrorIsAnswered422AfterTwoGenerateCalls() throws Exception {
        long generateCalls = simulator.stats().generateCalls();
        simulator.script(ApiCall.GENERATE, io.github.gptimage.simulator.Scenario.SERVER_ERROR, 1);
        simulator.script(ApiCall.GENERATE, io.github.gptimage.simulator.Scenario.POLICY, 1);

        HttpResponse<String> answer = postOrder("{\"orderId\":\"o-6\",\"prompt\":\"A lighthouse in a storm\"}");

        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(answer.body()).get("error").asText())
                .isEqualTo("io.github.gptimage.camel.error.GptImageBadRequestException");
        // the 500, redelivered once; the 400 that followed is final
        assertThat(simulator.stats().generateCalls() - generateCalls).isEqualTo(2);
        assertThat(deadLetter("o-6")).exists();
    }

    @Test
    void aDownstream4xxAfterAnOutageIsDeadLetteredWithoutFurtherRedelivery() throws Exception {
        downstream.resetAll();
        downstream.stubFor(post(urlEqualTo("/image-results")).inScenario("outage")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("refusing")
                .willReturn(aResponse().withStatus(503)));
        downstream.stubFor(post(urlEqualTo("/image-results")).inScenario("outage")
                .whenScenarioStateIs("refusing").willReturn(aResponse().withStatus(400)));

        assertThat(postOrder("{\"orderId\":\"o-7\",\"prompt\":\"A paper boat on a puddle\"}").statusCode())
                .isEqualTo(202);

        Path letter = deadLetter("o-7");
        await().atMost(PATIENCE).until(() -> Files.exists(letter) && Files.size(letter) > 0);
        assertThat(JSON.readTree(letter.toFile()).get("stage").asText()).isEqualTo("completion");
        // the 503, redelivered once; the 400 that followed is final
        assertThat(downstream.findAll(postRequestedFor(urlEqualTo("/image-results")))).hasSize(2);
    }

    @Test
    void aDownstreamOutageIsRedelivered() throws Exception {
        downstream.resetAll();
        downstream.stubFor(post(urlEqualTo("/image-results")).inScenario("outage")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("back")
                .willReturn(aResponse().withStatus(503)));
        downstream.stubFor(post(urlEqualTo("/image-results")).inScenario("outage")
                .whenScenarioStateIs("back").willReturn(aResponse().withStatus(200)));

        assertThat(postOrder("{\"orderId\":\"o-4\",\"prompt\":\"A red kite over a beach\"}").statusCode())
                .isEqualTo(202);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(downstream.findAll(
                postRequestedFor(urlEqualTo("/image-results"))
                        .withRequestBody(matchingJsonPath("$.orderId", com.github.tomakehurst.wiremock.client.WireMock
                                .equalTo("o-4"))))).hasSize(2));
        assertThat(deadLetter("o-4")).doesNotExist();
    }

    @Test
    void anInvalidOrderIsAnswered400WithoutCallingTheApi() throws Exception {
        long generateCalls = simulator.stats().generateCalls();

        HttpResponse<String> noPrompt = postOrder("{\"orderId\":\"o-5\"}");
        HttpResponse<String> notJson = postOrder("an order, please");

        assertThat(noPrompt.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noPrompt.body()).get("error").asText()).contains("prompt is required");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(simulator.stats().generateCalls()).isEqualTo(generateCalls);
        assertThat(deadLetter("o-5")).doesNotExist();
    }

    private HttpResponse<String> postOrder(String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(ordersUrl))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The result the downstream system received for the order. */
    private JsonNode awaitResultFor(String orderId) throws IOException {
        await().atMost(PATIENCE).until(() -> resultsFor(orderId).size() == 1);
        return JSON.readTree(resultsFor(orderId).get(0).getBodyAsString());
    }

    private List<LoggedRequest> resultsFor(String orderId) {
        return downstream.findAll(postRequestedFor(urlEqualTo("/image-results"))
                .withRequestBody(matchingJsonPath("$.orderId",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo(orderId))));
    }

    private Path deadLetter(String orderId) {
        return deadLetters.resolve(orderId + ".json");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
