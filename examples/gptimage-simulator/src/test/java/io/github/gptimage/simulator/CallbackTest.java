package io.github.gptimage.simulator;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CallbackTest {

    @AutoClose
    private static final CallbackReceiver receiver = new CallbackReceiver();
    @AutoClose
    private static final GptImageSimulator simulator = GptImageSimulator.builder()
            .completionTime(Duration.ofMillis(300))
            .lateCallbackDelay(Duration.ofMillis(1200))
            .build().start();
    private static final ApiClient client = ApiClient.withDefaultKey(simulator);

    @BeforeEach
    void reset() {
        receiver.reset();
    }

    private String createTask(String prompt) {
        return client.createTask(Map.of("prompt", prompt, "size", "1:1", "nVariants", 2,
                "callBackUrl", receiver.url("secret-" + prompt.length())));
    }

    @Test
    void successCallbackCarriesTheResultUrlsOnceTheTaskIsDone() throws InterruptedException {
        String taskId = createTask("a lighthouse at dawn");

        await().atMost(Duration.ofSeconds(3)).until(() -> receiver.receivedFor(taskId).size() == 1);
        JsonNode callback = receiver.receivedFor(taskId).get(0);
        assertThat(callback.path("code").asInt()).isEqualTo(200);
        assertThat(callback.path("msg").asText()).isEqualTo("success");
        JsonNode details = client.info(taskId).data();
        assertThat(details.path("status").asText()).isEqualTo("SUCCESS");
        assertThat(callback.path("data").path("info").path("result_urls"))
                .isEqualTo(details.path("response").path("resultUrls"))
                .hasSize(2);

        Thread.sleep(400);
        assertThat(receiver.receivedFor(taskId)).hasSize(1);
    }

    @Test
    void failedTaskSendsAFailureCallbackWithoutInfo() {
        String taskId = createTask("a forbidden picture [fail]");

        await().atMost(Duration.ofSeconds(3)).until(() -> receiver.receivedFor(taskId).size() == 1);
        JsonNode callback = receiver.receivedFor(taskId).get(0);
        assertThat(callback.path("code").asInt()).isEqualTo(400);
        assertThat(callback.path("msg").asText()).contains("violating content policies");
        assertThat(callback.path("data").has("info")).isTrue();
        assertThat(callback.path("data").get("info").isNull()).isTrue();
    }

    @Test
    void imageFetchFailureCallbackHasCode451() {
        String taskId = createTask("edit this [451]");

        await().atMost(Duration.ofSeconds(3)).until(() -> receiver.receivedFor(taskId).size() == 1);
        assertThat(receiver.receivedFor(taskId).get(0).path("code").asInt()).isEqualTo(451);
    }

    @Test
    void duplicateCallbackIsDeliveredTwice() {
        String taskId = createTask("twice please [duplicate-callback]");

        await().atMost(Duration.ofSeconds(3)).until(() -> receiver.receivedFor(taskId).size() == 2);
        assertThat(receiver.receivedFor(taskId).get(0)).isEqualTo(receiver.receivedFor(taskId).get(1));
    }

    @Test
    void lateCallbackArrivesAfterTheExtraDelay() {
        String taskId = createTask("take your time [late-callback]");

        client.awaitFinal(taskId);
        assertThat(receiver.receivedFor(taskId)).isEmpty();
        await().atMost(Duration.ofSeconds(3)).until(() -> receiver.receivedFor(taskId).size() == 1);
    }

    @Test
    void refusedDeliveriesAreCountedAsFailed() {
        receiver.answerWith(500);
        long failedBefore = simulator.stats().callbacksFailed();
        String taskId = createTask("nobody home");

        await().atMost(Duration.ofSeconds(3)).until(() -> receiver.receivedFor(taskId).size() == 1);
        await().atMost(Duration.ofSeconds(1)).until(() -> simulator.stats().callbacksFailed() == failedBefore + 1);
    }

    @Test
    void duplicateAndLateCanBeSwitchedOnForAllTasks() {
        try (GptImageSimulator allTwiceAndLate = GptImageSimulator.builder()
                .completionTime(Duration.ofMillis(200))
                .duplicateCallbacks(true)
                .lateCallbacks(true)
                .lateCallbackDelay(Duration.ofMillis(600))
                .build().start()) {
            String taskId = ApiClient.withDefaultKey(allTwiceAndLate)
                    .createTask(Map.of("prompt", "a plain picture", "size", "1:1",
                            "callBackUrl", receiver.url("all")));

            await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(1))
                    .until(() -> receiver.receivedFor(taskId).isEmpty());
            await().atMost(Duration.ofSeconds(3)).until(() -> receiver.receivedFor(taskId).size() == 2);
            assertThat(allTwiceAndLate.stats().callbacksDelivered()).isEqualTo(2);
        }
    }
}
