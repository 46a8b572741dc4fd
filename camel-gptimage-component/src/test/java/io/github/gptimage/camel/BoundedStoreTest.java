package io.github.gptimage.camel;

import java.time.Duration;

import io.github.gptimage.camel.error.GptImageTaskStoreFullException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.gptimage.camel.ApiStubs.GENERATE_PATH;
import static io.github.gptimage.camel.ApiStubs.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fire-and-forget generate (no waiting exchange, no consumer yet) in the component's default in-memory store: its
 * tasks are polled anyway, their final answers kept for a consumer started later (which emits them without another
 * info call), the store is bounded by {@code maxPendingTasks} (past it generate fails before any call), and a route
 * that only submits ({@code trackCompletion=false}) records nothing.
 */
class BoundedStoreTest extends GptImageTestSupport {

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getComponent("gptimage", GptImageComponent.class).setMaxPendingTasks(2);
        return context;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return tasksRoute(null, false);
    }

    @Test
    void finalTasksWaitForALaterConsumerAndTheStoreIsBounded() throws Exception {
        stubGenerateSequence("t-1", "t-2", "t-3");
        stubInfo("t-1", success("t-1", "https://cdn.example.com/t-1.png"));
        stubInfo("t-2", success("t-2", "https://cdn.example.com/t-2.png"));
        stubInfo("t-3", success("t-3", "https://cdn.example.com/t-3.png"));
        String fireAndForget = uri("generate", "pollInitialDelay=334&pollMaxInterval=334");

        assertThat(submit(fireAndForget).getException()).isNull();
        assertThat(submit(fireAndForget).getException()).isNull();
        Exchange refused = submit(fireAndForget);

        assertThat(refused.getException()).isInstanceOf(GptImageTaskStoreFullException.class)
                .hasMessageContaining("maxPendingTasks");
        assertThat(refused.getException(GptImageTaskStoreFullException.class).isRetryable()).isFalse();
        api.verify(2, postRequestedFor(urlPathEqualTo(GENERATE_PATH)));

        // polled although nothing waits for them
        await().atMost(Duration.ofSeconds(5)).until(() -> infoCallCount("t-1") == 1 && infoCallCount("t-2") == 1);

        context.getRouteController().startRoute("tasks");
        MockEndpoint done = getMockEndpoint("mock:done");
        await().atMost(Duration.ofSeconds(5)).until(() -> done.getReceivedCounter() == 2);
        assertThat(infoCallCount("t-1") + infoCallCount("t-2")).as("no info call after the consumer started")
                .isEqualTo(2);

        // room again, once the delivered tasks left the store (on the worker pool, just after their exchanges); a
        // submit refused meanwhile sends nothing
        await().atMost(Duration.ofSeconds(5)).until(() -> submit(fireAndForget).getException() == null);
        api.verify(3, postRequestedFor(urlPathEqualTo(GENERATE_PATH)));
    }

    @Test
    void submitOnlyRouteRecordsNothing() {
        withTestStore(context);
        stubGenerate("t-untracked");

        assertThat(submit(uri("generate", "trackCompletion=false")).getMessage().getBody()).isEqualTo("t-untracked");

        assertThat(storedTasks()).isZero();
    }
}
