package io.github.gptimage.simulator;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ScenarioMarkerTest {

    @AutoClose
    private static final GptImageSimulator simulator = GptImageSimulator.builder()
            .completionTime(Duration.ofMillis(300))
            .slowResponseDelay(Duration.ofMillis(1500))
            .retryAfterSeconds(3)
            .build().start();
    private static final ApiClient client = ApiClient.withDefaultKey(simulator);

    @BeforeEach
    void reset() {
        simulator.reset();
    }

    private static Map<String, String> prompt(String prompt) {
        return Map.of("prompt", prompt, "size", "1:1");
    }

    @Test
    void policyIsRefusedOnGenerateWithoutATask() {
        ApiClient.Answer answer = client.generate(prompt("something forbidden [policy]"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.code()).isEqualTo(400);
        assertThat(answer.msg()).contains("violating content policies");
        assertThat(simulator.tasks()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"[fail], 400, violating content policies", "[451], 451, Failed to fetch the image"})
    void failingTasksEndGenerateFailed(String marker, int errorCode, String message) {
        String taskId = client.createTask(prompt("a picture " + marker));

        JsonNode data = client.awaitFinal(taskId);
        assertThat(data.path("status").asText()).isEqualTo("GENERATE_FAILED");
        assertThat(data.path("successFlag").asInt()).isEqualTo(2);
        assertThat(data.path("errorCode").asInt()).isEqualTo(errorCode);
        assertThat(data.path("errorMessage").asText()).contains(message);
        assertThat(data.get("response").isNull()).isTrue();
        assertThat(client.get(simulator.baseUrl() + "/files/" + taskId + "_1.png").status()).isEqualTo(404);
    }

    @ParameterizedTest
    @CsvSource({"[455], 455, maintenance", "[500], 500, Internal Error", "[429], 429, Too many requests"})
    void errorMarkersAnswerWithTheirCodeAndCreateNoTask(String marker, int code, String message) {
        ApiClient.Answer answer = client.generate(prompt("a picture " + marker));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.code()).isEqualTo(code);
        assertThat(answer.msg()).contains(message);
        assertThat(simulator.tasks()).isEmpty();
    }

    @Test
    void rateLimitedAnswersCarryRetryAfter() {
        ApiClient.Answer answer = client.generate(prompt("[429] a picture"));

        assertThat(answer.response().headers().firstValue("Retry-After")).hasValue("3");
    }

    @Test
    void markersAreCaseInsensitive() {
        assertThat(client.generate(prompt("a picture [POLICY]")).code()).isEqualTo(400);
    }

    @Test
    void slowAnswersOutlastTheClientTimeoutButTheTaskIsCreated() {
        assertThatThrownBy(() -> client.sendOrThrow(client.post(GptImageSimulator.GENERATE_PATH,
                ApiClient.json(prompt("a picture [slow]"))).timeout(Duration.ofMillis(500))))
                .isInstanceOf(HttpTimeoutException.class);

        await().atMost(Duration.ofSeconds(3)).until(() -> simulator.tasks().size() == 1);
    }

    @Test
    void slowAnswersArriveAfterTheDelay() {
        long start = System.nanoTime();
        ApiClient.Answer answer = client.generate(prompt("a picture [slow]"));

        assertThat(answer.code()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void resetClosesTheConnection() {
        assertThatThrownBy(() -> client.sendOrThrow(client.post(GptImageSimulator.GENERATE_PATH,
                ApiClient.json(prompt("a picture [reset]"))))).isInstanceOf(IOException.class);
        assertThat(simulator.tasks()).isEmpty();
        assertThat(simulator.stats().generateCalls()).isEqualTo(1);
    }

    @Test
    void badChunkBreaksTheBody() {
        assertThatThrownBy(() -> client.sendOrThrow(client.post(GptImageSimulator.GENERATE_PATH,
                ApiClient.json(prompt("a picture [bad-chunk]"))))).isInstanceOf(IOException.class);
    }

    @Test
    void malformedAnswersHttp200WithABodyThatIsNotJson() {
        ApiClient.Answer answer = client.generate(prompt("a picture [malformed]"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isNull();
        assertThat(answer.body()).contains("502 Bad Gateway");
    }

    @Test
    void callFaultsComeBeforeValidation() {
        ApiClient.Answer answer = client.generate(Map.of("prompt", "[455]", "size", "7:5"));

        assertThat(answer.code()).isEqualTo(455);
    }
}
