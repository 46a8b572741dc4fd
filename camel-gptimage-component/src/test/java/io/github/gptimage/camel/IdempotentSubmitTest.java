package io.github.gptimage.camel;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.gptimage.camel.error.GptImageException;
import io.github.gptimage.camel.task.SubmitAttempt;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.gptimage.camel.ApiStubs.GENERATE_PATH;
import static io.github.gptimage.camel.ApiStubs.apiError;
import static io.github.gptimage.camel.ApiStubs.created;
import static io.github.gptimage.camel.ApiStubs.generating;
import static io.github.gptimage.camel.ApiStubs.success;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idempotent submits: a generate whose key (option expression or header) is already known for the account sends
 * nothing and gets the existing task (and, waiting, its completion); a submit the service refused leaves no key
 * behind, so a corrected one is sent.
 */
class IdempotentSubmitTest extends GptImageTestSupport {

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return withTestStore(super.createCamelContext());
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:byOrder").to(uri("generate", "idempotencyKey=${header.orderId}&pollInitialDelay=334"));
                from("direct:wait").to(uri("generate", "idempotencyKey=${header.orderId}&waitForCompletion=true"
                                                       + "&pollInitialDelay=334&pollMaxInterval=334"));
            }
        };
    }

    @Test
    void sameKeyTwiceSendsOneGenerate() {
        stubGenerateSequence("t-first", "t-second");
        stubInfo("t-first", generating("t-first"));

        Exchange first = submit("direct:byOrder", map("orderId", "order-7"));
        Exchange again = submit("direct:byOrder", map("orderId", "order-7"));
        Exchange other = submit("direct:byOrder", map("orderId", "order-8"));

        assertThat(first.getMessage().getBody()).isEqualTo("t-first");
        assertThat(first.getMessage().getHeader(GptImageConstants.REPEATED_SUBMIT)).isNull();
        assertThat(again.getException()).isNull();
        assertThat(again.getMessage().getBody()).isEqualTo("t-first");
        assertThat(again.getMessage().getHeader(GptImageConstants.TASK_ID)).isEqualTo("t-first");
        assertThat(again.getMessage().getHeader(GptImageConstants.REPEATED_SUBMIT)).isEqualTo(true);
        assertThat(other.getMessage().getBody()).isEqualTo("t-second");
        api.verify(2, postRequestedFor(urlPathEqualTo(GENERATE_PATH)));
        assertThat(store.findAttempt(testAccount(), "order-7")).get()
                .extracting(SubmitAttempt::state, SubmitAttempt::taskId)
                .containsExactly(SubmitAttempt.AttemptState.ACCEPTED, "t-first");
    }

    @Test
    void headerKeyWinsOverTheOption() {
        stubGenerateSequence("t-a", "t-b");

        submit("direct:byOrder", map("orderId", "order-1", GptImageConstants.IDEMPOTENCY_KEY, "batch-1"));
        Exchange sameHeader = submit("direct:byOrder",
                map("orderId", "order-2", GptImageConstants.IDEMPOTENCY_KEY, "batch-1"));

        assertThat(sameHeader.getMessage().getBody()).isEqualTo("t-a");
        api.verify(1, postRequestedFor(urlPathEqualTo(GENERATE_PATH)));
    }

    @Test
    void repeatedWaitingSubmitGetsTheCompletionOfTheKnownTask() {
        stubGenerateSequence("t-wait", "t-never");
        stubInfoSequence("t-wait", generating("t-wait"), success("t-wait", "https://cdn.example.com/w.png"));

        Exchange first = submit("direct:wait", map("orderId", "order-9"));
        assertThat(first.getMessage().getBody()).isEqualTo(List.of("https://cdn.example.com/w.png"));

        // delivered already: the repeat gets the task id, nothing is sent
        Exchange again = submit("direct:wait", map("orderId", "order-9"));
        assertThat(again.getException()).isNull();
        assertThat(again.getMessage().getBody()).isEqualTo("t-wait");
        assertThat(again.getMessage().getHeader(GptImageConstants.REPEATED_SUBMIT)).isEqualTo(true);
        api.verify(1, postRequestedFor(urlPathEqualTo(GENERATE_PATH)));
    }

    @Test
    void refusedSubmitLeavesNoKeySoACorrectedOneIsSent() {
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH))
                .inScenario("refused").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(apiError(400, "flagged")).willSetStateTo("fixed"));
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH))
                .inScenario("refused").whenScenarioStateIs("fixed")
                .willReturn(okJson(created("t-ok"))));

        Exchange refused = submit("direct:byOrder", map("orderId", "order-3"));
        Exchange corrected = submit("direct:byOrder", map("orderId", "order-3"));

        assertThat(refused.getException()).isInstanceOf(GptImageException.class);
        assertThat(corrected.getException()).isNull();
        assertThat(corrected.getMessage().getBody()).isEqualTo("t-ok");
        api.verify(2, postRequestedFor(urlPathEqualTo(GENERATE_PATH)));
    }

    @Test
    void keyWithoutTrackingIsRefusedBeforeAnyCall() {
        Exchange refused = submit(uri("generate", "trackCompletion=false"),
                map(GptImageConstants.IDEMPOTENCY_KEY, "k-1"));

        assertThat(refused.getException()).isInstanceOf(GptImageException.class)
                .hasMessageContaining("trackCompletion");
        assertNoRequestSent();
    }
}
