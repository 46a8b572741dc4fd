package io.github.gptimage.camel;

import io.github.gptimage.camel.error.GptImageAuthenticationException;
import io.github.gptimage.camel.error.GptImageException;
import io.github.gptimage.camel.error.GptImageRetryableException;
import io.github.gptimage.camel.error.GptImageServerException;
import io.github.gptimage.camel.error.GptImageServiceUnavailableException;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.github.gptimage.camel.ApiStubs.GENERATE_PATH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A route that redelivers {@link GptImageRetryableException} retries a maintenance answer until the task is created,
 * and a final error (401) goes to the dead letter channel after exactly one call: with {@code onException} for the
 * retryable root and one for the final root, a route retries only what a later attempt may fix.
 */
class RedeliveryPolicyTest extends GptImageTestSupport {

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:retrying").routeId("retrying")
                        .onException(GptImageRetryableException.class).maximumRedeliveries(2).redeliveryDelay(0).end()
                        .to(generateUri());

                from("direct:dead-lettered").routeId("dead-lettered")
                        .errorHandler(deadLetterChannel("mock:dead").maximumRedeliveries(3).redeliveryDelay(0))
                        .onException(GptImageRetryableException.class).maximumRedeliveries(3).redeliveryDelay(0).end()
                        .onException(GptImageException.class).maximumRedeliveries(0).end()
                        .to(generateUri());
            }
        };
    }

    @Test
    void maintenanceAnswerIsRetriedUntilTheTaskIsCreated() {
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).inScenario("maintenance").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(200).withBody("{\"code\":455,\"msg\":\"maintenance\",\"data\":null}"))
                .willSetStateTo("back"));
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).inScenario("maintenance").whenScenarioStateIs("back")
                .willReturn(aResponse().withStatus(200)
                        .withBody("{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"task-after-455\"}}")));

        Exchange exchange = send("direct:retrying", "A cat");

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getBody()).isEqualTo("task-after-455");
        assertThat(exchange.getMessage().getHeader(GptImageConstants.TASK_ID)).isEqualTo("task-after-455");
        assertThat(exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER)).isEqualTo(1);
        api.verify(2, postRequestedFor(urlPathEqualTo(GENERATE_PATH)));
    }

    @Test
    void retryableErrorIsGivenUpAfterMaximumRedeliveries() {
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(aResponse().withStatus(503).withBody("busy")));

        Exchange exchange = send("direct:retrying", "A cat");

        assertThat(failure(exchange, GptImageServerException.class).getCode()).isEqualTo(503);
        api.verify(3, postRequestedFor(urlPathEqualTo(GENERATE_PATH)));
    }

    @Test
    void authenticationErrorReachesTheDeadLetterChannelWithoutRedelivery() throws Exception {
        Exchange deadExchange =
                deadLetteredWhenGenerateAnswers("{\"code\":401,\"msg\":\"invalid api key\",\"data\":null}");

        assertThat(deadExchange.getProperty(Exchange.EXCEPTION_CAUGHT))
                .isInstanceOf(GptImageAuthenticationException.class);
        assertThat(deadExchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER)).isIn(null, 0);
        api.verify(1, postRequestedFor(urlPathEqualTo(GENERATE_PATH)));
    }

    @Test
    void retryableErrorIsRedeliveredBeforeTheDeadLetterChannel() throws Exception {
        Exchange deadExchange = deadLetteredWhenGenerateAnswers("{\"code\":550,\"msg\":\"queue full\",\"data\":null}");

        assertThat(deadExchange.getProperty(Exchange.EXCEPTION_CAUGHT))
                .isInstanceOf(GptImageServiceUnavailableException.class);
        api.verify(4, postRequestedFor(urlPathEqualTo(GENERATE_PATH)));
    }

    /**
     * Sends to the dead-lettered route with generate answering {@code body} with HTTP 200, and returns the one exchange
     * that reached the dead letter channel.
     */
    private Exchange deadLetteredWhenGenerateAnswers(String body) throws Exception {
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(aResponse().withStatus(200).withBody(body)));
        MockEndpoint dead = getMockEndpoint("mock:dead");
        dead.expectedMessageCount(1);

        send("direct:dead-lettered", "A cat");

        dead.assertIsSatisfied();
        return dead.getReceivedExchanges().get(0);
    }
}
