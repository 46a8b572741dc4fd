package io.github.gptimage.camel;

import java.time.Duration;

import io.github.gptimage.camel.task.TaskState;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import static io.github.gptimage.camel.ApiStubs.generating;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.gptimage.camel.ApiStubs.INFO_PATH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping the context while info calls are in flight: they are free and are made again after a restart, so the stop
 * does not wait for their answers, and their tasks stay pending in the store.
 */
class ShutdownTest extends GptImageTestSupport {

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return withTestStore(super.createCamelContext());
    }

    @Test
    void aStopDoesNotWaitForInfoCallsInFlightAndTheirTasksStayPending() throws Exception {
        stubGenerate("t-slow-info");
        stubInfo("t-slow-info", generating("t-slow-info").withFixedDelay(20_000));
        assertThat(submit(uri("generate", "pollInitialDelay=334")).getException()).isNull();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !api.findAll(postRequestedFor(urlPathEqualTo(INFO_PATH))).isEmpty());

        long started = System.nanoTime();
        context.stop();
        Duration stopping = Duration.ofNanos(System.nanoTime() - started);

        // a graceful close that waits for the answer takes 5 s (HttpClient's bound), the answer 20 s
        assertThat(stopping).isLessThan(Duration.ofSeconds(4));
        assertThat(store.find("t-slow-info")).hasValueSatisfying(task -> assertThat(task.state())
                .isEqualTo(TaskState.PENDING));
    }
}
