package io.github.gptimage.camel;

import java.time.Duration;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static io.github.gptimage.camel.ApiStubs.generating;
import static io.github.gptimage.camel.ApiStubs.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The next poll follows the progress the service reports: a task at 80 % one second after submission is polled again
 * about a quarter of a second later (its extrapolated end), not after the growing interval (1.5 s), and one at 10 %
 * waits for the longest interval rather than being polled early.
 */
class ProgressAwarePollingTest extends GptImageTestSupport {

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return withTestStore(super.createCamelContext());
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return tasksRoute(null, true);
    }

    @Test
    void nextPollComesAtTheExtrapolatedEnd() {
        stubGenerate("t-fast");
        stubInfoSequence("t-fast", generating("t-fast", "0.80"), success("t-fast", "https://cdn.example.com/f.png"));
        MockEndpoint done = getMockEndpoint("mock:done");

        submit(uri("generate", "pollInitialDelay=1000&pollMaxInterval=10000"));

        await().atMost(Duration.ofSeconds(5)).until(() -> done.getReceivedCounter() == 1);
        List<Long> calls = infoCallTimes("t-fast");
        assertThat(calls).hasSize(2);
        // (1 - 0.8) / 0.8 x 1 s = 250 ms, raised to the 334 ms floor, plus a 100 ms margin at most
        assertThat(calls.get(1) - calls.get(0)).as("ms between the polls").isBetween(334L, 1000L);
    }

    @Test
    void slowProgressWaitsUpToTheLongestInterval() {
        stubGenerate("t-slow");
        stubInfoSequence("t-slow", generating("t-slow", "0.10"), success("t-slow", "https://cdn.example.com/s.png"));
        MockEndpoint done = getMockEndpoint("mock:done");

        submit(uri("generate", "pollInitialDelay=500&pollMaxInterval=2500"));

        await().atMost(Duration.ofSeconds(8)).until(() -> done.getReceivedCounter() == 1);
        List<Long> calls = infoCallTimes("t-slow");
        assertThat(calls).hasSize(2);
        // 10 % after 0.5 s extrapolates to 4.5 s more: capped at pollMaxInterval (the growing interval would be 750 ms)
        assertThat(calls.get(1) - calls.get(0)).as("ms between the polls").isBetween(2400L, 3500L);
    }
}
