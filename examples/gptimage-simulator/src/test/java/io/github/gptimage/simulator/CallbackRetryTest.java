package io.github.gptimage.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Failed callback deliveries are retried after 1, 5 and 15 minutes, here scaled down to 60, 300 and 900 ms. */
class CallbackRetryTest {

    private static final double SCALE = 0.001;
    private static final List<Long> SCALED_DELAYS_MILLIS = List.of(60L, 300L, 900L);

    @AutoClose
    private static final CallbackReceiver receiver = new CallbackReceiver();
    @AutoClose
    private static final GptImageSimulator simulator = GptImageSimulator.builder()
            .completionTime(Duration.ofMillis(100))
            .callbackRetryScale(SCALE)
            .callbackTimeout(Duration.ofMillis(400))
            .build().start();
    private static final ApiClient client = ApiClient.withDefaultKey(simulator);

    @BeforeEach
    void reset() {
        receiver.reset();
        simulator.reset();
    }

    private static String createTask(String prompt, String callBackUrl) {
        return client.createTask(Map.of("prompt", prompt, "size", "1:1", "callBackUrl", callBackUrl));
    }

    /** Waits a little longer than any retry still to come could take. */
    private static void quietPeriod() throws InterruptedException {
        Thread.sleep(400);
    }

    @Test
    void aRefusedCallbackIsRetriedAfterEachScaledDelayThenGivenUp() throws InterruptedException {
        receiver.answerWith(500);
        String taskId = createTask("nobody takes it", receiver.url("refused"));

        await().atMost(Duration.ofSeconds(5)).until(() -> simulator.stats().callbacksAbandoned() == 1);
        quietPeriod();
        assertThat(receiver.receivedFor(taskId)).hasSize(4).allSatisfy(callback ->
                assertThat(callback).isEqualTo(receiver.receivedFor(taskId).get(0)));
        List<Long> arrivals = receiver.arrivalMillisFor(taskId);
        for (int retry = 0; retry < 3; retry++) {
            assertThat(arrivals.get(retry + 1) - arrivals.get(retry)).as("gap before retry %d", retry + 1)
                    .isGreaterThanOrEqualTo(SCALED_DELAYS_MILLIS.get(retry));
        }
        assertThat(simulator.stats()).extracting(SimulatorStats::callbacksDelivered, SimulatorStats::callbacksFailed,
                SimulatorStats::callbacksAbandoned).containsExactly(0L, 4L, 1L);
    }

    @Test
    void aCallbackThatGetsThroughOnARetryIsNotSentAgain() throws InterruptedException {
        receiver.answerNext(500, 404);
        String taskId = createTask("third time lucky", receiver.url("lucky"));

        await().atMost(Duration.ofSeconds(3)).until(() -> simulator.stats().callbacksDelivered() == 1);
        quietPeriod();
        quietPeriod();
        assertThat(receiver.receivedFor(taskId)).hasSize(3);
        assertThat(receiver.receivedFor(taskId).get(2).path("data").path("info").path("result_urls")).hasSize(1);
        assertThat(simulator.stats()).extracting(SimulatorStats::callbacksDelivered, SimulatorStats::callbacksFailed,
                SimulatorStats::callbacksAbandoned).containsExactly(1L, 2L, 0L);
    }

    @Test
    void aReceiverThatAnswersTooLateFailsTheAttempt() {
        receiver.stallNext(1, Duration.ofMillis(1200));
        String taskId = createTask("answer quickly", receiver.url("stalled"));

        await().atMost(Duration.ofSeconds(3)).until(() -> simulator.stats().callbacksDelivered() == 1);
        assertThat(receiver.receivedFor(taskId)).hasSize(2);
        assertThat(simulator.stats().callbacksFailed()).isEqualTo(1);
        List<Long> arrivals = receiver.arrivalMillisFor(taskId);
        // the 400 ms timeout runs from the send, the arrival is measured at the receiver: allow for the difference
        assertThat(arrivals.get(1)).as("timeout 400 ms, then the first retry after 60 ms")
                .isGreaterThanOrEqualTo(400).isLessThan(1200);
    }

    @Test
    void anUnreachableReceiverIsRetriedToo() {
        String taskId = createTask("no one listens", CallbackReceiver.unreachableUrl());

        await().atMost(Duration.ofSeconds(5)).until(() -> simulator.stats().callbacksAbandoned() == 1);
        assertThat(simulator.stats().callbacksFailed()).isEqualTo(4);
        assertThat(simulator.task(taskId)).isPresent();
    }

    @Test
    void failureCallbacksAreRetriedLikeSuccessCallbacks() {
        receiver.answerNext(503);
        String taskId = createTask("a forbidden picture [fail]", receiver.url("failure"));

        await().atMost(Duration.ofSeconds(3)).until(() -> receiver.receivedFor(taskId).size() == 2);
        assertThat(receiver.receivedFor(taskId)).allSatisfy(callback ->
                assertThat(callback.path("code").asInt()).isEqualTo(400));
    }

    @Test
    void eachDuplicateDeliveryIsRetriedOnItsOwn() throws InterruptedException {
        receiver.answerWith(500);
        String taskId = createTask("twice and refused [duplicate-callback]", receiver.url("duplicate"));

        await().atMost(Duration.ofSeconds(5)).until(() -> simulator.stats().callbacksAbandoned() == 2);
        quietPeriod();
        assertThat(receiver.receivedFor(taskId)).hasSize(8);
        assertThat(simulator.stats().callbacksFailed()).isEqualTo(8);
    }

    @Test
    void aResetDropsThePendingRetries() throws InterruptedException {
        try (GptImageSimulator slowRetries = GptImageSimulator.builder()
                .completionTime(Duration.ofMillis(100))
                .callbackRetryDelays(Duration.ofMillis(500))
                .build().start()) {
            receiver.answerWith(500);
            String taskId = ApiClient.withDefaultKey(slowRetries).createTask(Map.of("prompt", "forget me",
                    "size", "1:1", "callBackUrl", receiver.url("reset")));
            await().atMost(Duration.ofSeconds(3)).until(() -> receiver.receivedFor(taskId).size() == 1);

            slowRetries.reset();

            Thread.sleep(800);
            assertThat(receiver.receivedFor(taskId)).hasSize(1);
            assertThat(slowRetries.stats().callbacksFailed()).isZero();
        }
    }

    @Test
    void withoutRetryDelaysAFailedDeliveryIsGivenUpAtOnce() throws InterruptedException {
        try (GptImageSimulator noRetries = GptImageSimulator.builder()
                .completionTime(Duration.ofMillis(100))
                .callbackRetryDelays(List.of())
                .build().start()) {
            receiver.answerWith(500);
            String taskId = ApiClient.withDefaultKey(noRetries).createTask(Map.of("prompt", "one chance",
                    "size", "1:1", "callBackUrl", receiver.url("once")));

            await().atMost(Duration.ofSeconds(3)).until(() -> noRetries.stats().callbacksAbandoned() == 1);
            quietPeriod();
            assertThat(receiver.receivedFor(taskId)).hasSize(1);
            assertThat(noRetries.stats().callbacksFailed()).isEqualTo(1);
        }
    }

    @Test
    void theDefaultsAreTheServicesOneFiveAndFifteenMinutesAndFifteenSeconds() {
        SimulatorSettings defaults = GptImageSimulator.builder().settings();

        assertThat(defaults.scaledCallbackRetryDelays())
                .containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15));
        assertThat(defaults.callbackTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(GptImageSimulator.builder().callbackRetryScale(SCALE).settings().scaledCallbackRetryDelays())
                .containsExactly(Duration.ofMillis(60), Duration.ofMillis(300), Duration.ofMillis(900));
    }
}
