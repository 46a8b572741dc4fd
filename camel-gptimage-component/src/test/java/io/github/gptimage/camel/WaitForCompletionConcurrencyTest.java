package io.github.gptimage.camel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.github.gptimage.camel.ApiStubs.GENERATE_PATH;
import static io.github.gptimage.camel.ApiStubs.INFO_PATH;
import static io.github.gptimage.camel.ApiStubs.created;
import static io.github.gptimage.camel.ApiStubs.success;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many exchanges waiting at once hold no thread each: 2,000 concurrent waits (more than Camel's default 1,000-task
 * scheduler queue) all complete while the JVM's live thread count stays within a small bound above the baseline, and
 * the route continues on Camel's completion pool rather than on the HTTP client's I/O threads.
 */
class WaitForCompletionConcurrencyTest extends CamelTestSupport {

    private static final int WAITS = 2_000;
    private static final int THREAD_BOUND = 60;

    private final Set<String> routeThreads = ConcurrentHashMap.newKeySet();

    @RegisterExtension
    static WireMockExtension api = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().containerThreads(50).globalTemplating(true))
            .build();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getComponent("gptimage", GptImageComponent.class).getConfiguration().setMaxConcurrentPolls(200);
        return context;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:wait")
                        .to("gptimage:generate?apiKey=RAW(k)&baseUrl=" + api.baseUrl()
                            + "&waitForCompletion=true&timeout=60000&pollInitialDelay=334")
                        .process(exchange -> routeThreads.add(Thread.currentThread().getName()));
            }
        };
    }

    @Test
    void twoThousandConcurrentWaitsCompleteWithABoundedThreadCount() throws Exception {
        // every generate answers a fresh task id; info answers SUCCESS for whichever task it is asked about
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(okJson(created("{{randomValue type='UUID'}}"))));
        api.stubFor(post(urlPathEqualTo(INFO_PATH)).willReturn(
                success("{{request.query.taskId}}", "https://cdn.example.com/{{request.query.taskId}}.png")));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try {
            // warm up: the HTTP client's I/O threads, Camel's pools and WireMock's request threads exist afterwards
            waitAll(200);
            int baseline = threads.getThreadCount();
            AtomicInteger peak = new AtomicInteger(baseline);
            sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(threads.getThreadCount(), Math::max), 0, 5,
                    TimeUnit.MILLISECONDS);

            List<Object> results = waitAll(WAITS);

            assertThat(results).hasSize(WAITS);
            Set<Object> distinct = new HashSet<>(results);
            assertThat(distinct).as("one result per task").hasSize(WAITS);
            assertThat(results).allSatisfy(body -> assertThat(body).asList().singleElement().asString()
                    .startsWith("https://cdn.example.com/").endsWith(".png"));
            assertThat(peak.get()).as("peak live threads (baseline %d)", baseline)
                    .isLessThanOrEqualTo(baseline + THREAD_BOUND);
            assertThat(routeThreads).as("the route continues on Camel's completion pool, not on HTTP I/O threads")
                    .isNotEmpty().allSatisfy(name -> assertThat(name).doesNotContain("GptImageHttpIO"));
        } finally {
            sampler.shutdownNow();
        }
    }

    private List<Object> waitAll(int count) throws Exception {
        List<CompletableFuture<Object>> waits = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            waits.add(template.asyncRequestBody("direct:wait", "A lighthouse at dawn, number " + i));
        }
        CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        List<Object> results = new ArrayList<>(count);
        for (CompletableFuture<Object> wait : waits) {
            results.add(wait.get());
        }
        return results;
    }
}
