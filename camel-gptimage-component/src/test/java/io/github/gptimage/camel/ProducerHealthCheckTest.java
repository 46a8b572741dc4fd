package io.github.gptimage.camel;

import java.time.Duration;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckRepository;
import org.apache.camel.impl.health.DefaultHealthCheckRegistry;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.gptimage.camel.ApiStubs.GENERATE_PATH;
import static io.github.gptimage.camel.ApiStubs.apiError;
import static io.github.gptimage.camel.ApiStubs.generating;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Producer health checks, on as with {@code camel.health.producers-enabled=true}: each generate and info endpoint
 * reports the health of its account; and a DOWN after 455 that no call confirms lapses after
 * {@code authRecheckInterval}, so that the next call is the re-check.
 */
class ProducerHealthCheckTest extends GptImageTestSupport {

    private static final Duration LAPSE = Duration.ofMillis(800);

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = withTestStore(super.createCamelContext());
        context.getComponent("gptimage", GptImageComponent.class).setAuthRecheckInterval(LAPSE.toMillis());
        // as Camel Main sets the registry up with camel.health.producers-enabled=true
        HealthCheckRegistry registry = new DefaultHealthCheckRegistry();
        registry.setCamelContext(context);
        HealthCheckRepository producers = (HealthCheckRepository) registry.resolveById("producers");
        producers.setEnabled(true);
        registry.register(producers);
        context.getCamelContextExtension().addContextPlugin(HealthCheckRegistry.class, registry);
        return context;
    }

    @Test
    void generateAndInfoProducersReportTheirAccount() {
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(apiError(401, "Invalid API key")));
        stubInfo("t-1", generating("t-1"));
        send(uri("info", null), "t-1");
        assertThat(submit(generateUri()).getException()).isNotNull();

        List<HealthCheck.Result> producers = producerChecks();
        assertThat(producers).extracting(result -> result.getCheck().getId())
                .anySatisfy(id -> assertThat(id).startsWith("producer:gptimage-generate-"))
                .anySatisfy(id -> assertThat(id).startsWith("producer:gptimage-info-"));
        assertThat(producers).allSatisfy(result -> {
            assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(result.getMessage().orElseThrow()).contains("(401)");
            assertThat(result.getDetails()).containsEntry("account", testAccount())
                    .containsEntry("base.url", api.baseUrl()).containsKey("endpoint.uri");
            assertThat(String.valueOf(result.getDetails().get("endpoint.uri"))).doesNotContain(API_KEY);
        });

        // the info endpoint's next call succeeds: the account, so both producers, are UP again
        assertThat(send(uri("info", null), "t-1").getException()).isNull();
        assertThat(producerChecks()).hasSize(2)
                .allSatisfy(result -> assertThat(result.getState()).isEqualTo(HealthCheck.State.UP));
    }

    @Test
    void aDownThatNoCallConfirmsLapsesAfterTheRecheckInterval() {
        stubInfo("t-2", apiError(455, "maintenance"));
        assertThat(send(uri("info", null), "t-2").getException()).isNotNull();
        long failed = System.nanoTime();
        assertThat(producerChecks()).singleElement()
                .satisfies(result -> assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN));

        await().atMost(LAPSE.multipliedBy(4)).until(() -> producerChecks().get(0).getState() == HealthCheck.State.UP);
        assertThat(Duration.ofNanos(System.nanoTime() - failed)).as("DOWN until the recheck interval lapsed")
                .isGreaterThanOrEqualTo(LAPSE.dividedBy(2));
        assertThat(producerChecks().get(0).getDetails()).as("the last error stays")
                .containsEntry("last.error.code", 455);

        // another 455: DOWN again
        assertThat(send(uri("info", null), "t-2").getException()).isNotNull();
        assertThat(producerChecks().get(0).getState()).isEqualTo(HealthCheck.State.DOWN);
    }

    private List<HealthCheck.Result> producerChecks() {
        return HealthCheckHelper.invoke(context, "full").stream()
                .filter(result -> result.getCheck().getId().startsWith("producer:gptimage-")).toList();
    }
}
