package io.github.gptimage.camel;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.gptimage.camel.error.GptImageBudgetExceededException;
import io.github.gptimage.camel.error.GptImageInsufficientCreditsException;
import io.github.gptimage.camel.error.GptImageSubmitInDoubtException;
import io.github.gptimage.camel.error.GptImageValidationException;
import io.github.gptimage.camel.task.CreditBudget;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.gptimage.camel.ApiStubs.GENERATE_PATH;
import static io.github.gptimage.camel.ApiStubs.apiError;
import static io.github.gptimage.camel.ApiStubs.created;
import static io.github.gptimage.camel.ApiStubs.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Spend controls: the credits header on the exchange and on the completion, a credit budget per account that refuses a
 * generate before anything is sent (refused and invalid submits cost nothing, a submit whose answer was lost counts),
 * the endpoint's budget over the component's, account-wide limits that cannot be contradicted, and a client-side
 * submit rate that spaces the generates instead of having them refused.
 */
class SpendControlsTest extends GptImageTestSupport {

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return withTestStore(super.createCamelContext());
    }

    @Test
    void theCreditsHeaderIsTheImagesTimesTheirPriceOnTheExchangeAndOnTheCompletion() throws Exception {
        stubGenerateSequence("t-one", "t-four");
        stubInfo("t-one", success("t-one", "https://files.example/1.png"));
        stubInfo("t-four", success("t-four", "https://files.example/4.png"));
        MockEndpoint done = getMockEndpoint("mock:done");
        done.expectedMessageCount(2);
        context.addRoutes(tasksRoute(null, true));

        Exchange one = submit(generateUri("pollInitialDelay=334"));
        Exchange four = submit(generateUri("pollInitialDelay=334&creditsPerImage=7"),
                map(GptImageConstants.VARIANTS, 4));

        assertThat(one.getMessage().getHeader(GptImageConstants.CREDITS)).isEqualTo(10L);
        assertThat(four.getMessage().getHeader(GptImageConstants.CREDITS)).isEqualTo(28L);
        done.assertIsSatisfied(10_000);
        for (Exchange completion : done.getExchanges()) {
            String taskId = completion.getMessage().getHeader(GptImageConstants.TASK_ID, String.class);
            assertThat(completion.getMessage().getHeader(GptImageConstants.CREDITS)).as(taskId)
                    .isEqualTo(taskId.equals("t-one") ? 10L : 28L);
        }
    }

    @Test
    void aGeneratePastTheBudgetFailsBeforeAnythingIsSent() {
        stubGenerateSequence("t1", "t2", "t3");
        String uri = generateUri("creditBudget=30&creditBudgetPeriod=1d");

        for (int i = 0; i < 3; i++) {
            assertThat(submit(uri).getException()).isNull();
        }
        Exchange fourth = submit(uri);

        GptImageBudgetExceededException error = failure(fourth, GptImageBudgetExceededException.class);
        assertThat(error.isRetryable()).isFalse();
        assertThat(error.getBudget()).isEqualTo(30);
        assertThat(error.getSpent()).isEqualTo(30);
        assertThat(error.getCredits()).isEqualTo(10);
        assertThat(error.getPeriod()).isEqualTo(Duration.ofDays(1));
        assertThat(error.getWindowEnd()).isEqualTo(new CreditBudget(30, Duration.ofDays(1)).window(Instant.now()).end());
        assertThat(error.getMessage()).contains("spent 30 of its credit budget of 30 per PT24H", "costing 10 credits",
                "nothing was sent", testAccount()).doesNotContain(API_KEY);
        api.verify(3, postRequestedFor(urlPathEqualTo(GENERATE_PATH)));
    }

    @Test
    void refusedAndInvalidSubmitsCostNothing() {
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).inScenario("credits").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(apiError(402, "insufficient credits")).willSetStateTo("topped-up"));
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).inScenario("credits").whenScenarioStateIs("topped-up")
                .willReturn(okJson(created("t-paid"))));
        String uri = generateUri("creditBudget=20");

        Exchange invalid = submit(uri, map(GptImageConstants.SIZE, "16:9"));
        Exchange refused = submit(uri, map(GptImageConstants.VARIANTS, 2));
        Exchange paid = submit(uri, map(GptImageConstants.VARIANTS, 2));

        failure(invalid, GptImageValidationException.class);
        failure(refused, GptImageInsufficientCreditsException.class);
        assertThat(paid.getException()).as("the whole budget is left after a refusal").isNull();
        assertThat(paid.getMessage().getBody()).isEqualTo("t-paid");
        Instant window = new CreditBudget(20, Duration.ofDays(1)).window(Instant.now()).start();
        assertThat(store.creditsSpent(testAccount(), window)).isEqualTo(20);
        failure(submit(uri), GptImageBudgetExceededException.class);
    }

    @Test
    void aSubmitWhoseAnswerWasLostCountsAsSpent() {
        // HttpClient checks timeouts once a second: a 300 ms submitTimeout fires within 1.3 s, before the answer
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(okJson(created("late")).withFixedDelay(3000)));
        String uri = generateUri("creditBudget=10&submitTimeout=300");

        failure(submit(uri), GptImageSubmitInDoubtException.class);
        GptImageBudgetExceededException error = failure(submit(uri), GptImageBudgetExceededException.class);

        assertThat(error.getSpent()).as("the task may exist and be paid").isEqualTo(10);
        api.verify(1, postRequestedFor(urlPathEqualTo(GENERATE_PATH)));
    }

    @Test
    void theEndpointsBudgetWinsOverTheComponents() {
        context.getComponent("gptimage", GptImageComponent.class).getConfiguration().setCreditBudget(1000);
        stubGenerate("t");

        assertThat(submit(generateUri("creditBudget=10")).getException()).isNull();
        failure(submit(generateUri("creditBudget=10")), GptImageBudgetExceededException.class);
    }

    @Test
    void generateEndpointsOfOneAccountCannotContradictItsLimits() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:small").routeId("small").to(generateUri("creditBudget=100"));
            }
        });

        assertThatThrownBy(() -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:large").routeId("large").to(generateUri("creditBudget=5000"));
            }
        })).isInstanceOf(FailedToStartRouteException.class).rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("account-wide")
                .hasMessageContaining("creditBudget=100")
                .hasMessageContaining("creditBudget=5000")
                .hasMessageNotContaining(API_KEY);
        // an info endpoint and another account's generate declare nothing for this account
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:info").to(uri("info", null));
                from("direct:other").to(generateUri("account=other&creditBudget=5000"));
            }
        });
    }

    @Test
    void invalidSpendOptionsAreRefusedAtCreation() {
        for (String bad : new String[] { "creditBudget=-1", "creditsPerImage=-10", "creditBudgetPeriod=100",
                                         "maxSubmitsPerSecond=-2" }) {
            assertThatThrownBy(() -> context.getEndpoint(generateUri(bad))).as(bad)
                    .hasRootCauseInstanceOf(IllegalArgumentException.class)
                    .rootCause().hasMessageContaining("Invalid gptimage option " + bad.substring(0, bad.indexOf('=')));
        }
    }

    @Test
    void submitsPastTheRateWaitTheirTurnInsteadOfBeingSent() throws Exception {
        stubGenerate("t");
        String uri = generateUri("trackCompletion=false&maxSubmitsPerSecond=5");
        int submits = 10;
        // the service's pools start their threads on first use: another account's submits start them beforehand
        List<CompletableFuture<Exchange>> warmUp = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            warmUp.add(template.asyncSend(generateUri("trackCompletion=false&account=warm-up"),
                    exchange -> exchange.getMessage().setBody(PROMPT)));
        }
        for (CompletableFuture<Exchange> exchange : warmUp) {
            exchange.get(10, TimeUnit.SECONDS);
        }
        api.resetRequests();
        int threadsBefore = Thread.activeCount();

        List<CompletableFuture<Exchange>> sent = new ArrayList<>();
        for (int i = 0; i < submits; i++) {
            sent.add(template.asyncSend(uri, exchange -> exchange.getMessage().setBody(PROMPT)));
        }
        int threadsWhileWaiting = Thread.activeCount();
        for (CompletableFuture<Exchange> exchange : sent) {
            assertThat(exchange.get(10, TimeUnit.SECONDS).getException()).isNull();
        }

        List<Long> times = new ArrayList<>();
        for (LoggedRequest request : api.findAll(postRequestedFor(urlPathEqualTo(GENERATE_PATH)))) {
            times.add(request.getLoggedDate().getTime());
        }
        times.sort(Long::compare);
        assertThat(times).hasSize(submits);
        // each submit in its slot, 200 ms after the one before (a late send may come closer to the next one)
        for (int i = 1; i < submits; i++) {
            assertThat(times.get(i) - times.get(0)).as("submit %d after the first", i)
                    .isGreaterThanOrEqualTo(i * 200L - 100);
        }
        // a thread per waiting submit would be 9 more
        assertThat(threadsWhileWaiting - threadsBefore).as("waiting submits hold no thread").isLessThanOrEqualTo(3);
    }

    @Test
    void aWindowIsAFixedPeriodCountedFromTheEpoch() {
        CreditBudget daily = new CreditBudget(5000, Duration.ofDays(1));
        CreditBudget.Window window = daily.window(Instant.parse("2026-12-02T13:45:00Z"));

        assertThat(window.start()).isEqualTo(Instant.parse("2026-12-02T00:00:00Z"));
        assertThat(window.end()).isEqualTo(Instant.parse("2026-12-03T00:00:00Z"));
        assertThat(new CreditBudget(10, Duration.ofHours(1)).window(Instant.parse("2026-12-02T13:45:00Z")))
                .isEqualTo(new CreditBudget.Window(Instant.parse("2026-12-02T13:00:00Z"),
                        Instant.parse("2026-12-02T14:00:00Z")));
    }
}
