package io.github.gptimage.camel;

import java.time.Duration;

import io.github.gptimage.camel.error.GptImageAuthenticationException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static io.github.gptimage.camel.ApiStubs.apiError;
import static io.github.gptimage.camel.ApiStubs.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A refused key (401 on info) fails every exchange waiting for a task of that account at once, keeps the tasks
 * pending and stops the account's polling but for one re-check per {@code authRecheckInterval}; once the key works
 * again, polling resumes and the tasks complete.
 */
class AuthRecoveryTest extends GptImageTestSupport {

    private static final Duration RECHECK = Duration.ofMillis(700);

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = withTestStore(super.createCamelContext());
        context.getComponent("gptimage", GptImageComponent.class).setAuthRecheckInterval(RECHECK.toMillis());
        return context;
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() {
        RoutesBuilder waiting = new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:wait").to(uri("generate", "waitForCompletion=true&timeout=60000"
                                                       + "&pollInitialDelay=334&pollMaxInterval=334"));
            }
        };
        return new RoutesBuilder[] { waiting, tasksRoute(null, false) };
    }

    @Test
    void refusedKeyFailsTheWaitingExchangeAtOnceAndPollingResumesWhenTheKeyWorksAgain() throws Exception {
        stubGenerate("t-key");
        stubInfo("t-key", apiError(401, "invalid api key"));

        long started = System.nanoTime();
        Exchange waited = submit("direct:wait");

        assertThat(waited.getException()).isInstanceOf(GptImageAuthenticationException.class);
        assertThat(((GptImageAuthenticationException) waited.getException()).getTaskId()).isEqualTo("t-key");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("failed at once, not after the 60 s timeout")
                .isLessThan(Duration.ofSeconds(10));
        assertThat(store.find("t-key")).as("the task stays pending").isPresent();

        // while the key is refused: one re-check per interval at most
        int callsWhenRefused = infoCallCount("t-key");
        Thread.sleep(3 * RECHECK.toMillis());
        assertThat(infoCallCount("t-key") - callsWhenRefused).isBetween(1, 4);

        // the key works again: the next re-check succeeds, polling resumes, the consumer gets the task
        stubInfo("t-key", success("t-key", "https://cdn.example.com/t-key.png"));
        context.getRouteController().startRoute("tasks");
        MockEndpoint done = getMockEndpoint("mock:done");
        await().atMost(Duration.ofSeconds(10)).until(() -> done.getReceivedCounter() == 1);
        assertThat(done.getReceivedExchanges().get(0).getMessage().getHeader(GptImageConstants.TASK_ID))
                .isEqualTo("t-key");
        awaitStoreEmpty();
    }
}
