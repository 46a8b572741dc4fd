package io.github.gptimage.camel;

import java.time.Duration;
import java.util.Optional;

import io.github.gptimage.camel.error.GptImageAuthenticationException;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.health.DefaultHealthCheckRegistry;
import org.junit.jupiter.api.Test;

import static io.github.gptimage.camel.ApiStubs.apiError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A refused API key (401 on info) stops polling: no further info calls, nothing emitted, the task stays in the store,
 * the tasks consumer's health check is DOWN, and the refusal is logged once rather than at every poll.
 */
class TasksConsumerAuthFailureTest extends GptImageTestSupport {

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = withTestStore(super.createCamelContext());
        // the consumer checks, as Camel Main registers them with camel.health.consumers-enabled (the default)
        HealthCheckRegistry registry = new DefaultHealthCheckRegistry();
        registry.setCamelContext(context);
        registry.register(registry.resolveById("consumers"));
        context.getCamelContextExtension().addContextPlugin(HealthCheckRegistry.class, registry);
        return context;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return tasksRoute(null, true);
    }

    @Test
    void refusedKeyStopsPollingKeepsTheTaskAndTurnsTheConsumerDown() {
        stubGenerate("t-auth");
        stubInfo("t-auth", apiError(401, "Invalid API key"));

        try (LogCapture log = LogCapture.warnings()) {
            submit(uri("generate", "pollInitialDelay=334&pollMaxInterval=334"));
            await().atMost(Duration.ofSeconds(5)).until(() -> infoCallCount("t-auth") == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> consumerHealth().map(HealthCheck.Result::getState)
                    .orElse(HealthCheck.State.UNKNOWN) == HealthCheck.State.DOWN);

            // ten consumer polls and three task intervals later: still one info call, nothing emitted
            await().during(Duration.ofMillis(1100)).atMost(Duration.ofSeconds(3))
                    .until(() -> infoCallCount("t-auth") == 1);
            assertThat(getMockEndpoint("mock:done").getReceivedCounter()).isZero();
            assertThat(getMockEndpoint("mock:dead").getReceivedCounter()).isZero();
            assertThat(store.find("t-auth")).isPresent();
            assertThat(storedTasks()).isEqualTo(1);

            HealthCheck.Result health = consumerHealth().orElseThrow();
            assertThat(health.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(health.getError()).containsInstanceOf(GptImageAuthenticationException.class);

            assertThat(log.linesContaining("refused the API key")).as("log lines: %s", log.lines()).hasSize(1);
            // every later poll fails with the same error, to keep the health check DOWN, without logging it again
            assertThat(log.linesContaining("Failed polling endpoint"))
                    .as("the refusal is not logged again at every poll; log lines: %s", log.lines()).hasSizeLessThanOrEqualTo(1);
        }
    }

    private Optional<HealthCheck.Result> consumerHealth() {
        return HealthCheckHelper.invoke(context).stream()
                .filter(result -> result.getCheck().getId().equals("consumer:tasks"))
                .findFirst();
    }
}
