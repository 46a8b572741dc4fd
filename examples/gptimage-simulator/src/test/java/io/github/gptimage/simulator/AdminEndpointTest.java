package io.github.gptimage.simulator;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdminEndpointTest {

    private static final Map<String, String> VALID_BODY = Map.of("prompt", "a cat", "size", "1:1");

    @AutoClose
    private static final GptImageSimulator simulator = GptImageSimulator.builder()
            .completionTime(Duration.ofMillis(300))
            .slowResponseDelay(Duration.ofMillis(1000))
            .build().start();
    private static final ApiClient client = ApiClient.withDefaultKey(simulator);

    @BeforeEach
    void reset() {
        assertThat(client.adminPost("reset", null).code()).isEqualTo(200);
    }

    @Test
    void theFirstGenerateCallsFailWith455ThenSucceed() {
        ApiClient.Answer scripted = client.adminPost("script", Map.of("call", "generate", "scenario", "455",
                "times", 2));
        assertThat(scripted.code()).isEqualTo(200);
        assertThat(scripted.data().path("GENERATE")).hasSize(2);

        assertThat(client.generate(VALID_BODY).code()).isEqualTo(455);
        assertThat(client.generate(VALID_BODY).code()).isEqualTo(455);
        assertThat(client.generate(VALID_BODY).code()).isEqualTo(200);

        JsonNode stats = client.adminGet("stats").data();
        assertThat(stats.path("generateCalls").asInt()).isEqualTo(3);
        assertThat(stats.path("tasksCreated").asInt()).isEqualTo(1);
        assertThat(client.adminGet("script").data().path("GENERATE")).isEmpty();
    }

    @Test
    void scriptsQueueInOrderAndAcceptMarkersAndNames() {
        client.adminPost("script", Map.of("scenario", "[500]"));
        client.adminPost("script", Map.of("scenario", "POLICY"));

        assertThat(client.generate(VALID_BODY).code()).isEqualTo(500);
        assertThat(client.generate(VALID_BODY).code()).isEqualTo(400);
        assertThat(client.generate(VALID_BODY).code()).isEqualTo(200);
    }

    @Test
    void infoCallsCanBeScripted() {
        String taskId = client.createTask(VALID_BODY);
        simulator.script(ApiCall.INFO, Scenario.SERVER_ERROR, 1);
        simulator.script(ApiCall.INFO, Scenario.CONNECTION_RESET, 1);
        client.adminPost("script", Map.of("call", "info", "scenario", "slow"));

        assertThat(client.info(taskId).code()).isEqualTo(500);
        assertThatThrownBy(() -> client.sendOrThrow(client.post(GptImageSimulator.INFO_PATH + "?taskId=" + taskId,
                null))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> client.sendOrThrow(client.post(GptImageSimulator.INFO_PATH + "?taskId=" + taskId,
                null).timeout(Duration.ofMillis(300)))).isInstanceOf(HttpTimeoutException.class);
        assertThat(client.info(taskId).code()).isEqualTo(200);
        assertThat(simulator.stats().infoCalls()).isEqualTo(4);
    }

    @Test
    void scriptsThatMakeNoSenseAreRefused() {
        ApiClient.Answer generateOnly = client.adminPost("script", Map.of("call", "info", "scenario", "fail"));
        assertThat(generateOnly.status()).isEqualTo(400);
        assertThat(generateOnly.msg()).contains("cannot be scripted for INFO");

        assertThat(client.adminPost("script", Map.of("scenario", "explode")).status()).isEqualTo(400);
        assertThat(client.adminPost("script", Map.of("call", "upload", "scenario", "455")).status()).isEqualTo(400);
        assertThat(client.adminPost("script", Map.of("scenario", "455", "times", 0)).status()).isEqualTo(400);
        assertThat(client.adminPost("script", null).status()).isEqualTo(400);
        assertThat(client.adminGet("unknown").status()).isEqualTo(404);
    }

    @Test
    void tasksListsEveryTaskWithItsDetails() {
        String first = client.createTask(VALID_BODY);
        String second = client.createTask(Map.of("prompt", "a dog [fail]", "size", "3:2"));
        client.awaitFinal(second);

        JsonNode tasks = client.adminGet("tasks").data();
        assertThat(tasks).hasSize(2);
        assertThat(tasks.get(0).path("taskId").asText()).isEqualTo(first);
        assertThat(tasks.get(0).path("status").asText()).isEqualTo("SUCCESS");
        assertThat(tasks.get(1).path("taskId").asText()).isEqualTo(second);
        assertThat(tasks.get(1).path("status").asText()).isEqualTo("GENERATE_FAILED");
        assertThat(simulator.tasks()).extracting(TaskDetails::taskId).containsExactly(first, second);
        assertThat(simulator.task(second)).get().extracting(TaskDetails::errorCode).isEqualTo(400);
    }

    @Test
    void resetForgetsTasksScriptsAndCounters() {
        String taskId = client.createTask(VALID_BODY);
        simulator.script(ApiCall.GENERATE, Scenario.MAINTENANCE, 3);

        ApiClient.Answer reset = client.adminPost("reset", null);

        assertThat(reset.data().path("generateCalls").asInt()).isZero();
        assertThat(simulator.tasks()).isEmpty();
        assertThat(simulator.pendingScript()).allSatisfy((call, scenarios) -> assertThat(scenarios).isEmpty());
        assertThat(client.info(taskId).msg()).isEqualTo("record is null");
        assertThat(simulator.stats()).isEqualTo(new SimulatorStats(0, 1, 0, 0, 0, 0, 0));
        assertThat(client.generate(VALID_BODY).code()).isEqualTo(200);
    }

    @Test
    void theJavaApiScriptsTheSameWay() {
        simulator.script(ApiCall.GENERATE, Scenario.RATE_LIMITED, 1);

        assertThat(simulator.pendingScript().get(ApiCall.GENERATE)).isEqualTo(List.of(Scenario.RATE_LIMITED));
        assertThat(client.generate(VALID_BODY).code()).isEqualTo(429);
        assertThat(client.generate(VALID_BODY).code()).isEqualTo(200);
    }
}
