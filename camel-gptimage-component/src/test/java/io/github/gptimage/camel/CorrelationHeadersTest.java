package io.github.gptimage.camel;

import java.time.Duration;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static io.github.gptimage.camel.ApiStubs.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code correlationHeaders}: the values the named headers had when the task was submitted are set again on the
 * completion the tasks consumer emits; other headers are not carried over.
 */
class CorrelationHeadersTest extends GptImageTestSupport {

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(tasksUri(null)).routeId("tasks").to("mock:done");
            }
        };
    }

    @Test
    void namedHeadersAtSubmitTimeArriveOnTheCompletion() {
        stubGenerate("t-corr");
        stubInfo("t-corr", success("t-corr", "https://cdn.example.com/t-corr_0.png"));

        Exchange submitted = submit(uri("generate", "pollInitialDelay=334&correlationHeaders=CamelFileName, orderId"),
                map(Exchange.FILE_NAME, "inbox/lighthouse.txt", "orderId", 4711, "unrelated", "not carried"));

        assertThat(submitted.getException()).isNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> getMockEndpoint("mock:done").getReceivedCounter() == 1);
        Exchange done = getMockEndpoint("mock:done").getReceivedExchanges().get(0);
        assertThat(done.getMessage().getHeader(Exchange.FILE_NAME)).isEqualTo("inbox/lighthouse.txt");
        assertThat(done.getMessage().getHeader("orderId")).isEqualTo(4711);
        assertThat(done.getMessage().getHeaders()).doesNotContainKey("unrelated");
        assertThat(done.getMessage().getHeader(GptImageConstants.TASK_ID)).isEqualTo("t-corr");
    }
}
