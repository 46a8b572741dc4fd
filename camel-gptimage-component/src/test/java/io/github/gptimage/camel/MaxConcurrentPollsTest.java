package io.github.gptimage.camel;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.github.gptimage.camel.task.PollSchedule;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.gptimage.camel.ApiStubs.INFO_PATH;
import static io.github.gptimage.camel.ApiStubs.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code maxConcurrentPolls} bounds the info calls in flight, as the server sees them, however many tasks are due at
 * once and whatever wakes the poller (the heartbeat, answers, new tasks, the consumer's polls); and within that bound
 * due tasks are polled as fast as the answers come back, with no fixed tick in between.
 */
class MaxConcurrentPollsTest extends GptImageTestSupport {

    private static final int MAX_POLLS = 4;
    private static final int TASKS = 40;
    private static final int INFO_MILLIS = 250;

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = withTestStore(super.createCamelContext());
        context.getComponent("gptimage", GptImageComponent.class).getConfiguration().setMaxConcurrentPolls(MAX_POLLS);
        return context;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return tasksRoute(null, true);
    }

    @Test
    void infoCallsInFlightNeverExceedTheBound() {
        api.stubFor(post(urlPathEqualTo(INFO_PATH)).willReturn(
                success("{{request.query.taskId}}", "https://cdn.example.com/r.png").withFixedDelay(INFO_MILLIS)
                        .withTransformers("response-template")));
        Instant now = Instant.now();
        PollSchedule schedule = new PollSchedule(Duration.ofMillis(334), Duration.ofSeconds(5), false);
        for (int i = 0; i < TASKS; i++) {
            store.add(pendingTask("due-" + i, now, null, Map.of(), schedule, now));
        }
        MockEndpoint done = getMockEndpoint("mock:done");

        await().atMost(Duration.ofSeconds(20)).until(() -> done.getReceivedCounter() == TASKS);

        List<ServeEvent> infoCalls = api.getAllServeEvents().stream()
                .filter(event -> event.getRequest().getUrl().startsWith(INFO_PATH)).toList();
        assertThat(infoCalls).hasSize(TASKS);
        assertThat(maxOverlap(infoCalls)).as("info calls in flight at once").isEqualTo(MAX_POLLS);
        // 40 calls of 250 ms, 4 at a time: about 2.5 s when each answer frees its permit at once
        long first = infoCalls.stream().mapToLong(event -> event.getRequest().getLoggedDate().getTime()).min()
                .orElseThrow();
        long last = infoCalls.stream().mapToLong(event -> event.getRequest().getLoggedDate().getTime()).max()
                .orElseThrow();
        assertThat(last - first).as("first to last info call, ms").isLessThan(TASKS / MAX_POLLS * INFO_MILLIS * 2L);
    }

    /**
     * The most calls the server was serving at one moment, each counted from its arrival through its fixed delay:
     * within that time the client certainly had it in flight.
     */
    private static int maxOverlap(List<ServeEvent> events) {
        List<long[]> edges = new ArrayList<>();
        for (ServeEvent event : events) {
            long start = event.getRequest().getLoggedDate().getTime();
            edges.add(new long[] {start, 1});
            edges.add(new long[] {start + event.getTiming().getAddedDelay(), -1});
        }
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int current = 0;
        int max = 0;
        for (long[] edge : edges) {
            current += (int) edge[1];
            max = Math.max(max, current);
        }
        return max;
    }
}
