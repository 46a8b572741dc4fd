package io.github.gptimage.camel;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.http.Fault;
import io.github.gptimage.camel.api.TaskStatus;
import io.github.gptimage.camel.error.GptImageGenerationFailedException;
import io.github.gptimage.camel.task.PollSchedule;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.github.gptimage.camel.ApiStubs.apiError;
import static io.github.gptimage.camel.ApiStubs.failed;
import static io.github.gptimage.camel.ApiStubs.generating;
import static io.github.gptimage.camel.ApiStubs.httpError;
import static io.github.gptimage.camel.ApiStubs.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code from("gptimage:tasks")} polling: a task is emitted once when final, polled no more than 3 times a second,
 * failures reach the route's dead-letter channel with the task's error, retryable info errors leave the task
 * pending, and a task past the service's 14-day retention is failed without an info call.
 */
class TasksConsumerPollingTest extends GptImageTestSupport {

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return withTestStore(super.createCamelContext());
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return tasksRoute(null, true);
    }

    @Test
    void generatingTwiceThenSuccessIsEmittedOnceAfterThreeInfoCalls() {
        stubGenerate("t-poll");
        stubInfoSequence("t-poll", generating("t-poll"), generating("t-poll"),
                success("t-poll", "https://cdn.example.com/t-poll_0.png"));
        MockEndpoint done = getMockEndpoint("mock:done");

        Exchange submitted = submit(uri("generate", "pollInitialDelay=334&pollMaxInterval=2000"));

        assertThat(submitted.getException()).isNull();
        assertThat(submitted.getMessage().getBody()).isEqualTo("t-poll");
        await().atMost(Duration.ofSeconds(5)).until(() -> done.getReceivedCounter() == 1);
        // stays at one emission and three info calls: the completed task is not polled again
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3))
                .until(() -> done.getReceivedCounter() == 1 && infoCallCount("t-poll") == 3);

        Exchange emitted = done.getReceivedExchanges().get(0);
        assertThat(emitted.getMessage().getBody()).isEqualTo(List.of("https://cdn.example.com/t-poll_0.png"));
        assertThat(emitted.getMessage().getHeader(GptImageConstants.TASK_ID)).isEqualTo("t-poll");
        assertThat(emitted.getMessage().getHeader(GptImageConstants.STATUS)).isEqualTo(TaskStatus.SUCCESS);
        assertThat(emitted.getMessage().getHeader(GptImageConstants.RESULT_URLS))
                .isEqualTo(List.of("https://cdn.example.com/t-poll_0.png"));
        assertThat(getMockEndpoint("mock:dead").getReceivedCounter()).isZero();
        awaitStoreEmpty();
        assertAtMostThreeCallsPerSecond(infoCallTimes("t-poll"));
    }

    @Test
    void pollIntervalsBelowTheFloorAreRaisedTo334Millis() {
        stubGenerate("t-floor");
        stubInfoSequence("t-floor", generating("t-floor"), generating("t-floor"), generating("t-floor"),
                success("t-floor", "https://cdn.example.com/t-floor_0.png"));
        MockEndpoint done = getMockEndpoint("mock:done");

        submit(uri("generate", "pollInitialDelay=10&pollMaxInterval=50"));

        await().atMost(Duration.ofSeconds(5)).until(() -> done.getReceivedCounter() == 1);
        List<Long> times = infoCallTimes("t-floor");
        assertThat(times).hasSize(4);
        assertAtMostThreeCallsPerSecond(times);
    }

    /** Consecutive calls at least ~1/3 s apart, and any four calls spread over at least a second. */
    private static void assertAtMostThreeCallsPerSecond(List<Long> times) {
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i) - times.get(i - 1)).as("gap before info call %d of %s", i + 1, times)
                    .isGreaterThanOrEqualTo(330);
        }
        for (int i = 3; i < times.size(); i++) {
            assertThat(times.get(i) - times.get(i - 3)).as("span of info calls %d..%d of %s", i - 2, i + 1, times)
                    .isGreaterThanOrEqualTo(1000);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "GENERATE_FAILED", "CREATE_TASK_FAILED" })
    void failedTaskReachesTheDeadLetterChannelWithItsErrorAndHeaders(String status) {
        String taskId = "t-" + status;
        stubGenerate(taskId);
        stubInfoSequence(taskId, generating(taskId), failed(taskId, status, "400", "flagged by the content policy"));
        MockEndpoint dead = getMockEndpoint("mock:dead");

        submit(uri("generate", "pollInitialDelay=334&correlationHeaders=orderId"), map("orderId", "order-7"));

        await().atMost(Duration.ofSeconds(5)).until(() -> dead.getReceivedCounter() == 1);
        Exchange failed = dead.getReceivedExchanges().get(0);
        Exception caught = failed.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        assertThat(caught).isInstanceOf(GptImageGenerationFailedException.class);
        GptImageGenerationFailedException failure = (GptImageGenerationFailedException) caught;
        assertThat(failure.getTaskId()).isEqualTo(taskId);
        assertThat(failure.getErrorCode()).isEqualTo("400");
        assertThat(failure.getApiMessage()).isEqualTo("flagged by the content policy");
        assertThat(failure.isRetryable()).isFalse();
        Map<String, Object> headers = failed.getMessage().getHeaders();
        assertThat(headers).containsEntry(GptImageConstants.TASK_ID, taskId)
                .containsEntry(GptImageConstants.STATUS, TaskStatus.valueOf(status))
                .containsEntry(GptImageConstants.ERROR_CODE, "400")
                .containsEntry(GptImageConstants.ERROR_MESSAGE, "flagged by the content policy")
                .containsEntry("orderId", "order-7");
        assertThat(getMockEndpoint("mock:done").getReceivedCounter()).isZero();
        awaitStoreEmpty();
        assertThat(infoCallCount(taskId)).isEqualTo(2);
    }

    @Test
    void retryableInfoErrorsLeaveTheTaskPendingUntilItCompletes() {
        stubGenerate("t-flaky");
        stubInfoSequence("t-flaky",
                httpError(500),
                aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
                apiError(500, "internal error"),
                success("t-flaky", "https://cdn.example.com/t-flaky_0.png"));
        MockEndpoint done = getMockEndpoint("mock:done");

        submit(uri("generate", "pollInitialDelay=334&pollMaxInterval=334"));

        // pending while the errors last: emitted once, after the fourth info call (an emission before it would have
        // ended the polling)
        await().atMost(Duration.ofSeconds(5)).until(() -> done.getReceivedCounter() == 1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                .until(() -> done.getReceivedCounter() == 1 && infoCallCount("t-flaky") == 4);
        assertThat(done.getReceivedExchanges().get(0).getMessage().getHeader(GptImageConstants.TASK_ID))
                .isEqualTo("t-flaky");
        assertThat(getMockEndpoint("mock:dead").getReceivedCounter()).isZero();
        awaitStoreEmpty();
    }

    @Test
    void taskPastTheRetentionIsFailedAsExpiredWithoutAnInfoCall() {
        stubInfo("t-old", success("t-old", "https://cdn.example.com/t-old_0.png"));
        Instant now = Instant.now();
        PollSchedule schedule = new PollSchedule(Duration.ofSeconds(1), Duration.ofSeconds(30), false);
        store.add(pendingTask("t-old", now.minus(Duration.ofDays(15)), null, Map.of("orderId", "order-old"), schedule, now.minusSeconds(1)));
        MockEndpoint dead = getMockEndpoint("mock:dead");

        await().atMost(Duration.ofSeconds(5)).until(() -> dead.getReceivedCounter() == 1);

        Exchange failed = dead.getReceivedExchanges().get(0);
        Exception caught = failed.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        assertThat(caught).isInstanceOf(GptImageGenerationFailedException.class);
        assertThat(((GptImageGenerationFailedException) caught).getErrorCode()).isEqualTo("EXPIRED");
        assertThat(((GptImageGenerationFailedException) caught).getTaskId()).isEqualTo("t-old");
        assertThat(failed.getMessage().getHeader(GptImageConstants.TASK_ID)).isEqualTo("t-old");
        assertThat(failed.getMessage().getHeader("orderId")).isEqualTo("order-old");
        // removed once the dead-lettered exchange completed, which is just after mock:dead received it
        await().atMost(Duration.ofSeconds(5)).until(() -> storedTasks() == 0);
        assertThat(allInfoCallCount()).isZero();
        assertThat(getMockEndpoint("mock:done").getReceivedCounter()).isZero();
    }
}
