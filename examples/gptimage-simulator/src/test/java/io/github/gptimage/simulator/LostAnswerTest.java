package io.github.gptimage.simulator;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The generate answer is lost after the task was created and paid; its callback still comes. */
class LostAnswerTest {

    @AutoClose
    private static final CallbackReceiver receiver = new CallbackReceiver();
    @AutoClose
    private static final GptImageSimulator simulator = GptImageSimulator.builder()
            .completionTime(Duration.ofMillis(300))
            .slowResponseDelay(Duration.ofMillis(1000))
            .build().start();
    private static final ApiClient client = ApiClient.withDefaultKey(simulator);

    @BeforeEach
    void reset() {
        receiver.reset();
        simulator.reset();
    }

    private static Map<String, Object> body(String prompt) {
        return Map.of("prompt", prompt, "size", "1:1", "callBackUrl", receiver.url("lost"));
    }

    private static ApiClient.Answer generate(Map<String, Object> body, Duration timeout) throws IOException {
        return client.sendOrThrow(client.post(GptImageSimulator.GENERATE_PATH, ApiClient.json(body)).timeout(timeout));
    }

    @Test
    void aScriptedLostAnswerResetsTheConnectionYetTheTaskIsPaidAndCallsBack() {
        simulator.script(ApiCall.GENERATE, Scenario.LOST_ANSWER, 1);

        assertThatThrownBy(() -> generate(body("a lighthouse at dawn"), Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(HttpTimeoutException.class);

        assertThat(simulator.stats().tasksCreated()).isEqualTo(1);
        assertThat(simulator.tasks()).hasSize(1);
        String taskId = simulator.tasks().get(0).taskId();
        await().atMost(Duration.ofSeconds(3)).until(() -> receiver.receivedFor(taskId).size() == 1);
        JsonNode callback = receiver.receivedFor(taskId).get(0);
        assertThat(callback.path("code").asInt()).isEqualTo(200);
        assertThat(callback.path("data").path("info").path("result_urls")).hasSize(1);
        assertThat(client.info(taskId).data().path("status").asText()).isEqualTo("SUCCESS");
    }

    @Test
    void aClientThatRetriesAfterALostAnswerPaysTwice() {
        simulator.script(ApiCall.GENERATE, Scenario.LOST_ANSWER, 1);
        assertThatThrownBy(() -> generate(body("pay me twice"), Duration.ofSeconds(5))).isInstanceOf(IOException.class);

        String retried = client.createTask(body("pay me twice"));

        assertThat(simulator.stats()).extracting(SimulatorStats::generateCalls, SimulatorStats::tasksCreated)
                .containsExactly(2L, 2L);
        String lost = simulator.tasks().get(0).taskId();
        assertThat(lost).isNotEqualTo(retried);
        await().atMost(Duration.ofSeconds(3)).until(() ->
                receiver.receivedFor(lost).size() == 1 && receiver.receivedFor(retried).size() == 1);
    }

    @Test
    void theTimeoutFlavourLeavesTheClientWaitingUntilItsTimeout() {
        assertThatThrownBy(() -> generate(body("a slow sunset [lost-answer-timeout]"), Duration.ofMillis(400)))
                .isInstanceOf(HttpTimeoutException.class);

        assertThat(simulator.stats().tasksCreated()).isEqualTo(1);
        String taskId = simulator.tasks().get(0).taskId();
        await().atMost(Duration.ofSeconds(3)).until(() -> receiver.receivedFor(taskId).size() == 1);
    }

    @Test
    void theTimeoutFlavourResetsTheConnectionAfterTheSlowDelay() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> generate(body("[LOST-ANSWER-TIMEOUT] a patient client"), Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(HttpTimeoutException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
        assertThat(simulator.stats().tasksCreated()).isEqualTo(1);
    }

    @Test
    void theAdminApiScriptsItByWordForGenerateOnly() {
        assertThat(client.adminPost("script", Map.of("scenario", "lost-answer")).code()).isEqualTo(200);
        assertThat(client.adminPost("script", Map.of("call", "info", "scenario", "lost-answer-timeout")).status())
                .isEqualTo(400);

        assertThatThrownBy(() -> generate(body("scripted"), Duration.ofSeconds(5))).isInstanceOf(IOException.class);
        assertThat(client.createTask(body("answered"))).matches("[0-9a-f]{32}");
        assertThat(simulator.stats().tasksCreated()).isEqualTo(2);
    }

    @Test
    void nothingIsLostWhenNoTaskIsCreated() throws IOException {
        ApiClient.Answer invalid = generate(Map.of("prompt", "[lost-answer] no size"), Duration.ofSeconds(5));
        ApiClient.Answer refused = generate(body("[lost-answer] [policy]"), Duration.ofSeconds(5));

        assertThat(invalid.code()).isEqualTo(500);
        assertThat(refused.code()).isEqualTo(400);
        assertThat(simulator.stats().tasksCreated()).isZero();
    }
}
