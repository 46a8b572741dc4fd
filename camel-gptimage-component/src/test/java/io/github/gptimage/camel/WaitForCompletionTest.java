package io.github.gptimage.camel;

import java.time.Duration;
import java.util.List;

import io.github.gptimage.camel.api.TaskStatus;
import io.github.gptimage.camel.error.GptImageGenerationFailedException;
import io.github.gptimage.camel.error.GptImageTimeoutException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static io.github.gptimage.camel.ApiStubs.failed;
import static io.github.gptimage.camel.ApiStubs.generating;
import static io.github.gptimage.camel.ApiStubs.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code to("gptimage:generate?waitForCompletion=true")}: the exchange continues with the completion (result URLs
 * and task headers), fails with the task's failure or with {@link GptImageTimeoutException}, and a task a waiting
 * exchange takes is never emitted by the tasks consumer running beside it.
 */
class WaitForCompletionTest extends GptImageTestSupport {

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return withTestStore(super.createCamelContext());
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() {
        RoutesBuilder waiting = new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:wait")
                        .to(uri("generate", "waitForCompletion=true&pollInitialDelay=334&pollMaxInterval=334"
                                            + "&correlationHeaders=orderId"))
                        .to("mock:waited");
                from("direct:waitHandled")
                        .onException(GptImageGenerationFailedException.class).handled(true).to("mock:handled").end()
                        .to(uri("generate", "waitForCompletion=true&pollInitialDelay=334&pollMaxInterval=334"))
                        .to("mock:waited");
                from("direct:waitBriefly")
                        .to(uri("generate", "waitForCompletion=true&timeout=1000&pollInitialDelay=334"
                                            + "&pollMaxInterval=334"))
                        .to("mock:waited");
            }
        };
        return new RoutesBuilder[] { waiting, tasksRoute(null, true) };
    }

    private int consumerEmissions() {
        return getMockEndpoint("mock:done").getReceivedCounter() + getMockEndpoint("mock:dead").getReceivedCounter();
    }

    @Test
    void waitingExchangeContinuesWithTheResultAndTheConsumerNeverSeesIt() {
        stubGenerate("w-ok");
        stubInfoSequence("w-ok", generating("w-ok"), success("w-ok", "https://cdn.example.com/w-ok_0.png"));

        Exchange result = submit("direct:wait", map("orderId", "order-1"));

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody()).isEqualTo(List.of("https://cdn.example.com/w-ok_0.png"));
        assertThat(result.getMessage().getHeader(GptImageConstants.TASK_ID)).isEqualTo("w-ok");
        assertThat(result.getMessage().getHeader(GptImageConstants.STATUS)).isEqualTo(TaskStatus.SUCCESS);
        assertThat(result.getMessage().getHeader(GptImageConstants.RESULT_URLS))
                .isEqualTo(List.of("https://cdn.example.com/w-ok_0.png"));
        assertThat(result.getMessage().getHeader("orderId")).isEqualTo("order-1");
        assertThat(getMockEndpoint("mock:waited").getReceivedCounter()).isEqualTo(1);
        assertThat(infoCallCount("w-ok")).isEqualTo(2);
        awaitStoreEmpty();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> consumerEmissions() == 0);
    }

    @Test
    void failedTaskIsThrownIntoTheWaitingRoute() {
        stubGenerate("w-bad");
        stubInfoSequence("w-bad", generating("w-bad"),
                failed("w-bad", "GENERATE_FAILED", "500", "internal error while generating"));

        Exchange result = submit("direct:wait");

        assertThat(result.getException()).isInstanceOf(GptImageGenerationFailedException.class);
        GptImageGenerationFailedException failure = (GptImageGenerationFailedException) result.getException();
        assertThat(failure.getTaskId()).isEqualTo("w-bad");
        assertThat(failure.getErrorCode()).isEqualTo("500");
        assertThat(failure.getApiMessage()).isEqualTo("internal error while generating");
        assertThat(failure.isRetryable()).as("a failed task is paid: not resubmitted by redelivery").isFalse();
        assertThat(getMockEndpoint("mock:waited").getReceivedCounter()).isZero();
        // the waiting exchange failed unhandled: the task is delivered again, once, to the tasks consumer
        MockEndpoint dead = getMockEndpoint("mock:dead");
        await().atMost(Duration.ofSeconds(5)).until(() -> dead.getReceivedCounter() == 1);
        Exchange redelivered = dead.getReceivedExchanges().get(0);
        assertThat(redelivered.getMessage().getHeader(GptImageConstants.TASK_ID)).isEqualTo("w-bad");
        assertThat(redelivered.getMessage().getHeader(GptImageConstants.REDELIVERED)).isEqualTo(true);
        assertThat(redelivered.getMessage().getHeader(GptImageConstants.REDELIVERY_COUNTER)).isEqualTo(1);
        awaitStoreEmpty();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> consumerEmissions() == 1);
        assertThat(infoCallCount("w-bad")).isEqualTo(2);
    }

    @Test
    void failedTaskHandledByTheWaitingRouteIsNotDeliveredAgain() {
        stubGenerate("w-handled");
        stubInfoSequence("w-handled", generating("w-handled"),
                failed("w-handled", "GENERATE_FAILED", "400", "flagged"));

        Exchange result = submit("direct:waitHandled");

        assertThat(result.getException()).isNull();
        assertThat(result.getProperty(Exchange.EXCEPTION_CAUGHT)).isInstanceOf(GptImageGenerationFailedException.class);
        assertThat(getMockEndpoint("mock:handled").getReceivedCounter()).isEqualTo(1);
        awaitStoreEmpty();
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> consumerEmissions() == 0);
    }

    @Test
    void waitTimesOutWithTheTaskIdAndTheTaskStaysPending() {
        stubGenerate("w-slow");
        stubInfo("w-slow", generating("w-slow"));

        long started = System.nanoTime();
        Exchange result = submit("direct:waitBriefly");
        Duration waited = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.getException()).isInstanceOf(GptImageTimeoutException.class);
        GptImageTimeoutException timeout = (GptImageTimeoutException) result.getException();
        assertThat(timeout.getTaskId()).isEqualTo("w-slow");
        assertThat(timeout.getMessage()).contains("w-slow");
        assertThat(waited).isBetween(Duration.ofMillis(950), Duration.ofSeconds(5));
        assertThat(infoCallCount("w-slow")).isGreaterThanOrEqualTo(1);
        assertThat(store.find("w-slow")).isPresent();
        assertThat(consumerEmissions()).isZero();
    }

    @Test
    void timedOutTaskIsLaterEmittedByTheTasksConsumer() {
        stubGenerate("w-late");
        // final at the 7th poll, 2.3 s in at the earliest: well after the wait's 1 s timeout
        stubInfoSequence("w-late", generating("w-late"), generating("w-late"), generating("w-late"),
                generating("w-late"), generating("w-late"), generating("w-late"),
                success("w-late", "https://cdn.example.com/w-late_0.png"));

        Exchange result = submit("direct:waitBriefly");

        assertThat(result.getException()).isInstanceOf(GptImageTimeoutException.class);
        await().atMost(Duration.ofSeconds(15)).until(() -> getMockEndpoint("mock:done").getReceivedCounter() == 1);
        assertThat(getMockEndpoint("mock:done").getReceivedExchanges().get(0).getMessage()
                .getHeader(GptImageConstants.TASK_ID)).isEqualTo("w-late");
        assertThat(getMockEndpoint("mock:waited").getReceivedCounter()).isZero();
    }
}
