package io.github.gptimage.camel;

import java.time.Duration;

import io.github.gptimage.camel.error.GptImageGenerationFailedException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static io.github.gptimage.camel.ApiStubs.failed;
import static io.github.gptimage.camel.ApiStubs.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The delivery contract on the tasks consumer: a task leaves the store only once its completion exchange completed. A
 * completion route that fails unhandled gets the task again, marked as a redelivery and without another info call; a
 * failure the route handles (its dead-letter channel, {@code onException(...).handled(true)}) is the end of it.
 */
class DeliveryContractTest extends GptImageTestSupport {

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return withTestStore(super.createCamelContext());
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:submit").to(uri("generate", "pollInitialDelay=334&pollMaxInterval=334"));
                // fails unhandled (default error handler) the first time it sees a task
                from(tasksUri(null)).routeId("tasks")
                        .onException(GptImageGenerationFailedException.class).handled(true).to("mock:handled").end()
                        .process(exchange -> {
                            if (!exchange.getMessage().getHeader(GptImageConstants.REDELIVERED, Boolean.class)) {
                                throw new IllegalStateException("the downstream system is down");
                            }
                        })
                        .to("mock:done");
            }
        };
    }

    @Test
    void completionRouteFailingUnhandledGetsTheTaskAgainAsARedelivery() {
        stubGenerate("t-retry");
        stubInfo("t-retry", success("t-retry", "https://cdn.example.com/t-retry.png"));
        MockEndpoint done = getMockEndpoint("mock:done");

        assertThat(submit("direct:submit").getException()).isNull();

        await().atMost(Duration.ofSeconds(10)).until(() -> done.getReceivedCounter() == 1);
        Exchange redelivered = done.getReceivedExchanges().get(0);
        assertThat(redelivered.getMessage().getHeader(GptImageConstants.TASK_ID)).isEqualTo("t-retry");
        assertThat(redelivered.getMessage().getHeader(GptImageConstants.REDELIVERED)).isEqualTo(true);
        assertThat(redelivered.getMessage().getHeader(GptImageConstants.REDELIVERY_COUNTER)).isEqualTo(1);
        assertThat(redelivered.getMessage().getBody()).asList().containsExactly("https://cdn.example.com/t-retry.png");
        awaitStoreEmpty();
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> done.getReceivedCounter() == 1);
        assertThat(infoCallCount("t-retry")).as("a redelivery makes no info call").isEqualTo(1);
    }

    @Test
    void failureHandledByTheRouteIsNotDeliveredAgain() {
        stubGenerate("t-flagged");
        stubInfo("t-flagged", failed("t-flagged", "GENERATE_FAILED", "400", "flagged"));
        MockEndpoint handled = getMockEndpoint("mock:handled");

        assertThat(submit("direct:submit").getException()).isNull();

        await().atMost(Duration.ofSeconds(10)).until(() -> handled.getReceivedCounter() == 1);
        assertThat(handled.getReceivedExchanges().get(0).getMessage().getHeader(GptImageConstants.REDELIVERED))
                .isEqualTo(false);
        awaitStoreEmpty();
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> handled.getReceivedCounter() == 1);
        assertThat(getMockEndpoint("mock:done").getReceivedCounter()).isZero();
    }
}
