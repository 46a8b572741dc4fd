package io.github.gptimage.camel;

import java.util.List;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.gptimage.camel.error.GptImageBadRequestException;
import io.github.gptimage.camel.error.GptImageException;
import io.github.gptimage.camel.error.GptImageProtocolException;
import io.github.gptimage.camel.error.GptImageRateLimitException;
import io.github.gptimage.camel.error.GptImageRetryableException;
import io.github.gptimage.camel.error.GptImageServerException;
import io.github.gptimage.camel.error.GptImageSubmitInDoubtException;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.github.gptimage.camel.ApiStubs.GENERATE_PATH;
import static io.github.gptimage.camel.ApiStubs.apiError;
import static io.github.gptimage.camel.ApiStubs.created;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The redelivery pattern of the README ("Errors"), as it is written there: retryable errors are redelivered, the first
 * final error goes to the dead letter channel at once, even when it follows a retryable one (Camel keeps the
 * exception policy it picked for the first failure for the attempts that follow, so only a {@code retryWhile} that
 * looks at the current exception stops there), and a 429's {@code Retry-After} is waited for.
 */
class RedeliveryPatternTest extends GptImageTestSupport {

    /** The README's static redelivery delay, shorter than the Retry-After of the 429 test. */
    private static final long README_DELAY = 1000;

    @Override
    protected RoutesBuilder[] createRouteBuilders() {
        return new RoutesBuilder[] {readmePattern("direct:draw", README_DELAY, generateUri()),
            readmePattern("direct:quick", 0, generateUri()),
            readmePattern("direct:impatient", 0, generateUri("submitTimeout=300"))};
    }

    /**
     * The README's pattern; {@code direct:draw} has its delay, {@code direct:quick} none (so that giving up after the
     * maximum redeliveries is quick to test), {@code direct:impatient} a short submitTimeout, and the dead letter
     * channel is a mock instead of a folder.
     */
    private RouteBuilder readmePattern(String from, long redeliveryDelay, String generateUri) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // --- as in README.md
                onException(GptImageRetryableException.class)
                    // decides after every failed attempt, on that attempt's exception, so a final error that follows
                    // a retryable one stops here: Camel keeps this policy once it picked it. (It replaces
                    // maximumRedeliveries, hence the count. Not exchange.getException(Class): that also finds the
                    // previous attempt's exception, which Camel adds to the new one as suppressed.)
                    .retryWhile(exchange -> exchange.getException() instanceof GptImageRetryableException
                        && exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) <= 3)
                    .redeliveryDelay(redeliveryDelay).useExponentialBackOff()
                    // waits on Camel's scheduler, not on the thread that reported the failure: a failed generate is
                    // reported on the component's worker pool, which would otherwise sleep through the delays
                    .asyncDelayedRedelivery()
                    // a 429's Retry-After is the wait before the next attempt (Camel reads this header before it waits)
                    .onExceptionOccurred(exchange -> {
                        if (exchange.getException() instanceof GptImageRateLimitException limit
                            && limit.getRetryAfter() != null) {
                            exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, limit.getRetryAfter().toMillis());
                        }
                    });
                errorHandler(deadLetterChannel("mock:dead"));   // final errors land here at once, unretried
                // ---

                from(from).to(generateUri).to("mock:submitted");
            }
        };
    }

    @Test
    void aContentPolicyRefusalAfterAServerErrorIsDeadLetteredAfterTwoCalls() throws Exception {
        stubGenerateAnswers(apiError(500, "internal error"), apiError(400, "content policy violation"));

        Exchange dead = deadLettered("direct:draw");

        assertThat(dead.getProperty(Exchange.EXCEPTION_CAUGHT)).isInstanceOf(GptImageBadRequestException.class);
        assertThat(((GptImageException) dead.getProperty(Exchange.EXCEPTION_CAUGHT)).getCode()).isEqualTo(400);
        api.verify(2, postRequestedFor(urlPathEqualTo(GENERATE_PATH)));
    }

    @Test
    void aMalformedAnswerAfterAServerErrorIsDeadLetteredAfterTwoCalls() throws Exception {
        stubGenerateAnswers(apiError(500, "internal error"), aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html><body>502 Bad Gateway</body></html>"));

        Exchange dead = deadLettered("direct:draw");

        assertThat(dead.getProperty(Exchange.EXCEPTION_CAUGHT)).isInstanceOf(GptImageProtocolException.class);
        api.verify(2, postRequestedFor(urlPathEqualTo(GENERATE_PATH)));
    }

    @Test
    void aFinalErrorFirstIsNotRedelivered() throws Exception {
        stubGenerateAnswers(apiError(400, "content policy violation"));

        Exchange dead = deadLettered("direct:quick");

        assertThat(dead.getProperty(Exchange.EXCEPTION_CAUGHT)).isInstanceOf(GptImageBadRequestException.class);
        api.verify(1, postRequestedFor(urlPathEqualTo(GENERATE_PATH)));
    }

    @Test
    void retryableErrorsAreRedeliveredThreeTimesThenDeadLettered() throws Exception {
        stubGenerateAnswers(apiError(500, "internal error"));

        Exchange dead = deadLettered("direct:quick");

        assertThat(dead.getProperty(Exchange.EXCEPTION_CAUGHT)).isInstanceOf(GptImageServerException.class);
        api.verify(4, postRequestedFor(urlPathEqualTo(GENERATE_PATH)));
    }

    /**
     * A generate answered after its submitTimeout may have created a paid task: it is not redelivered (which would
     * pay a second task) but dead-lettered at once as in doubt, after one call.
     */
    @Test
    void aGenerateThatTimedOutAfterSendingIsDeadLetteredAfterOneCall() throws Exception {
        // HttpClient checks timeouts once a second: the 300 ms submitTimeout fires within 1.3 s, before the answer
        stubGenerateAnswers(okJson(created("task-answered-late")).withFixedDelay(3000));

        Exchange dead = deadLettered("direct:impatient");

        assertThat(dead.getProperty(Exchange.EXCEPTION_CAUGHT)).isInstanceOf(GptImageSubmitInDoubtException.class);
        api.verify(1, postRequestedFor(urlPathEqualTo(GENERATE_PATH)));
    }

    @Test
    void aServerErrorThenSuccessSubmitsTheTask() throws Exception {
        stubGenerateAnswers(apiError(500, "internal error"), okJson(created("task-after-500")));
        MockEndpoint submitted = getMockEndpoint("mock:submitted");
        submitted.expectedBodiesReceived("task-after-500");

        template.sendBody("direct:quick", PROMPT);

        submitted.assertIsSatisfied();
        assertThat(getMockEndpoint("mock:dead").getReceivedCounter()).isZero();
        api.verify(2, postRequestedFor(urlPathEqualTo(GENERATE_PATH)));
    }

    @Test
    void aRateLimitIsRedeliveredNoSoonerThanItsRetryAfter() throws Exception {
        // the service's way: HTTP 200, the error in the envelope, the wait in the header
        stubGenerateAnswers(apiError(429, "too many requests").withHeader("Retry-After", "2"),
                okJson(created("task-after-429")));
        MockEndpoint submitted = getMockEndpoint("mock:submitted");
        submitted.expectedBodiesReceived("task-after-429");
        submitted.setResultWaitTime(15_000);

        template.sendBody("direct:draw", PROMPT);

        submitted.assertIsSatisfied();
        List<Long> times = generateCallTimes();
        assertThat(times).hasSize(2);
        // Retry-After: 2 s, longer than the pattern's 1 s: the second call waited for the service's 2 s
        assertThat(times.get(1) - times.get(0)).as("ms between the 429 and the redelivery").isGreaterThanOrEqualTo(1950);
    }

    @Test
    void aRateLimitWithoutRetryAfterWaitsThePatternsDelay() throws Exception {
        stubGenerateAnswers(apiError(429, "too many requests"), okJson(created("task-after-429")));
        MockEndpoint submitted = getMockEndpoint("mock:submitted");
        submitted.expectedBodiesReceived("task-after-429");
        submitted.setResultWaitTime(15_000);

        template.sendBody("direct:draw", PROMPT);

        submitted.assertIsSatisfied();
        List<Long> times = generateCallTimes();
        assertThat(times).hasSize(2);
        assertThat(times.get(1) - times.get(0)).isGreaterThanOrEqualTo(README_DELAY - 50);
    }

    /** generate answers the responses one per call, in order; the last one repeats. */
    private static void stubGenerateAnswers(ResponseDefinitionBuilder... answers) {
        String state = STARTED;
        for (int i = 0; i < answers.length; i++) {
            String next = "answered-" + (i + 1);
            var stub = post(urlPathEqualTo(GENERATE_PATH)).inScenario("answers").whenScenarioStateIs(state)
                    .willReturn(answers[i]);
            api.stubFor(i == answers.length - 1 ? stub : stub.willSetStateTo(next));
            state = next;
        }
    }

    /** Sends the prompt and returns the one exchange that reached the dead letter channel. */
    private Exchange deadLettered(String from) throws Exception {
        MockEndpoint dead = getMockEndpoint("mock:dead");
        dead.expectedMessageCount(1);
        dead.setResultWaitTime(15_000);

        template.sendBody(from, PROMPT);

        dead.assertIsSatisfied();
        assertThat(getMockEndpoint("mock:submitted").getReceivedCounter()).isZero();
        return dead.getReceivedExchanges().get(0);
    }

    /** When WireMock received each generate call, in milliseconds, oldest first. */
    private static List<Long> generateCallTimes() {
        return api.findAll(postRequestedFor(urlPathEqualTo(GENERATE_PATH))).stream()
                .map(LoggedRequest::getLoggedDate).map(java.util.Date::getTime).sorted().toList();
    }
}
