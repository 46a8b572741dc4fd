package io.github.gptimage.camel;

import java.time.Duration;
import java.util.List;

import io.github.gptimage.camel.error.GptImageGenerationFailedException;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static io.github.gptimage.camel.ApiStubs.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Callbacks with {@code verifyCallbacks=false}: the payload itself completes the task, without an info call; the
 * token check still applies, and a callback racing a poll still emits once.
 */
class UnverifiedCallbackTest extends CallbackTestSupport {

    @Override
    boolean verifyCallbacks() {
        return false;
    }

    @Test
    void successPayloadIsEmittedWithoutAnInfoCall() throws Exception {
        startConsumer();
        String url = submitTask("t1", success("t1", "https://cdn.example.com/t1_from_info.png"));

        assertThat(post(url, successCallback("t1", "https://cdn.example.com/t1_from_callback.png"))).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> emitted() == 1);
        Exchange done = getMockEndpoint("mock:done").getReceivedExchanges().get(0);
        assertThat(done.getMessage().getBody()).isEqualTo(List.of("https://cdn.example.com/t1_from_callback.png"));
        assertThat(done.getMessage().getHeader(GptImageConstants.RESULT_URLS))
                .isEqualTo(List.of("https://cdn.example.com/t1_from_callback.png"));
        assertThat(done.getMessage().getHeader(GptImageConstants.TASK_ID)).isEqualTo("t1");
        assertThat(allInfoCallCount()).isZero();
        awaitStoreEmpty();

        assertThat(post(url, successCallback("t1", "https://cdn.example.com/t1_from_callback.png")))
                .as("delivered again").isEqualTo(200);
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> emitted() == 1);
    }

    @Test
    void callbackIsAnsweredBeforeTheRouteRunsAndNotOnTheHttpServersThread() throws Exception {
        startConsumer();
        String url = submitTask("t-slow-route");
        java.util.Set<String> routeThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        getMockEndpoint("mock:done").whenAnyExchangeReceived(exchange -> {
            routeThreads.add(Thread.currentThread().getName());
            Thread.sleep(5000);
        });

        long started = System.nanoTime();
        assertThat(post(url, successCallback("t-slow-route", "https://cdn.example.com/s.png"))).isEqualTo(200);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answered without waiting for the route")
                .isLessThan(Duration.ofMillis(4000));
        await().atMost(Duration.ofSeconds(5)).until(() -> emitted() == 1);
        assertThat(routeThreads).singleElement().asString().doesNotContain("vert.x").contains("GptImage");
    }

    @Test
    void failurePayloadFailsTheExchangeWithTheCallbackCodeAndMessage() throws Exception {
        startConsumer();
        String url = submitTask("t-bad");

        assertThat(post(url, failureCallback("t-bad"))).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> getMockEndpoint("mock:dead").getReceivedCounter() == 1);
        Exchange dead = getMockEndpoint("mock:dead").getReceivedExchanges().get(0);
        Exception caught = dead.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        assertThat(caught).isInstanceOf(GptImageGenerationFailedException.class);
        GptImageGenerationFailedException failure = (GptImageGenerationFailedException) caught;
        assertThat(failure.getTaskId()).isEqualTo("t-bad");
        assertThat(failure.getErrorCode()).isEqualTo("400");
        assertThat(failure.getApiMessage()).contains("violating content policies");
        assertThat(dead.getMessage().getHeader(GptImageConstants.TASK_ID)).isEqualTo("t-bad");
        assertThat(allInfoCallCount()).isZero();
        assertThat(getMockEndpoint("mock:done").getReceivedCounter()).isZero();
    }

    @Test
    void wrongTokenIsRefusedEvenUnverified() throws Exception {
        startConsumer();
        submitTask("t-real");

        assertThat(post(callbackPrefix() + "not-the-token", successCallback("t-real", "https://evil.example/x.png")))
                .isEqualTo(401);

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> emitted() == 0);
        assertThat(store.find("t-real")).isPresent();
    }
}
