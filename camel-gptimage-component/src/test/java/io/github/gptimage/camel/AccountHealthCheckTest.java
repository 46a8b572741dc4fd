package io.github.gptimage.camel;

import java.time.Duration;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.gptimage.camel.ApiStubs.GENERATE_PATH;
import static io.github.gptimage.camel.ApiStubs.apiError;
import static io.github.gptimage.camel.ApiStubs.created;
import static io.github.gptimage.camel.ApiStubs.generating;
import static io.github.gptimage.camel.ApiStubs.httpError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The health check of each account of each task store, through Camel's health check registry as an application's
 * readiness probe calls it: UP at first, DOWN with the reason while WireMock answers 401, 402, 455 or 550, UP again once
 * a call succeeds (for 402, a generate: an info call spends no credits); details name the base URL, never the key.
 */
class AccountHealthCheckTest extends GptImageTestSupport {

    private static final String CHECK_ID = "gptimage-account-store1-" + testAccount();
    // polled late: the only info calls are the test's own
    private static final String GENERATE = generateUri("pollInitialDelay=600000");
    private static final String INFO = uri("info", null);

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = withTestStore(super.createCamelContext());
        // long enough that no DOWN lapses during the test (AccountHealthLapseTest covers the lapse)
        context.getComponent("gptimage", GptImageComponent.class).setAuthRecheckInterval(600_000);
        return context;
    }

    @Test
    void downWhileTheServiceRefusesKeyOrCreditsOrIsUnavailableAndUpOnceACallSucceeds() {
        assertThat(accountChecks()).as("no account before an endpoint of it started").isEmpty();

        stubGenerate("t-1");
        assertThat(submit(GENERATE).getException()).isNull();
        HealthCheck.Result up = accountHealth();
        assertThat(up.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(up.getDetails()).containsEntry("base.url", api.baseUrl()).containsEntry("account", testAccount())
                .containsEntry("store", "store1").doesNotContainKey("last.error.code");
        awaitPendingTasks(1);

        // 401 on generate: DOWN with the reason until a call succeeds
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(apiError(401, "Invalid API key")));
        assertThat(submit(GENERATE).getException()).isNotNull();
        HealthCheck.Result refused = accountHealth();
        assertThat(refused.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(refused.getMessage()).hasValueSatisfying(message -> assertThat(message)
                .contains("refused the API key (401)").contains("Invalid API key"));
        assertThat(refused.getDetails()).containsEntry("last.error.code", 401)
                .containsEntry("last.error.operation", "generate").containsKey("last.error.time")
                .containsEntry("service.error.code", 401);

        stubInfo("t-1", generating("t-1"));
        assertThat(send(INFO, "t-1").getException()).isNull();
        assertThat(accountHealth().getState()).as("an answered info call: the key works").isEqualTo(HealthCheck.State.UP);
        assertThat(accountHealth().getDetails()).as("the last error stays in the details")
                .containsEntry("last.error.code", 401).containsKey("last.success.time");

        // 402 on generate: DOWN until a generate succeeds; an info call proves nothing about credits
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(apiError(402, "Insufficient credits")));
        assertThat(submit(GENERATE).getException()).isNotNull();
        assertThat(accountHealth().getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(accountHealth().getMessage()).hasValueSatisfying(message -> assertThat(message)
                .contains("no credits left (402)"));
        assertThat(send(INFO, "t-1").getException()).isNull();
        assertThat(accountHealth().getState()).isEqualTo(HealthCheck.State.DOWN);
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(okJson(created("t-2"))));
        assertThat(submit(GENERATE).getException()).isNull();
        assertThat(accountHealth().getState()).isEqualTo(HealthCheck.State.UP);
        awaitPendingTasks(2);

        // 455 on info (maintenance): DOWN until a call succeeds again
        stubInfo("t-1", apiError(455, "Service under maintenance"));
        assertThat(send(INFO, "t-1").getException()).isNotNull();
        HealthCheck.Result maintenance = accountHealth();
        assertThat(maintenance.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(maintenance.getMessage()).hasValueSatisfying(message -> assertThat(message)
                .contains("under maintenance (455)"));
        assertThat(maintenance.getDetails()).containsEntry("last.error.code", 455)
                .containsEntry("last.error.operation", "info");
        stubInfo("t-1", generating("t-1"));
        assertThat(send(INFO, "t-1").getException()).isNull();
        assertThat(accountHealth().getState()).isEqualTo(HealthCheck.State.UP);

        // 550 as an HTTP status on generate (queue full): DOWN, then UP on the next accepted submit
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(httpError(550)));
        assertThat(submit(GENERATE).getException()).isNotNull();
        assertThat(accountHealth().getState()).isEqualTo(HealthCheck.State.DOWN);
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(okJson(created("t-3"))));
        assertThat(submit(GENERATE).getException()).isNull();
        assertThat(accountHealth().getState()).isEqualTo(HealthCheck.State.UP);

        // a retryable 500 does not make the account DOWN, but is the last error
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(apiError(500, "internal error")));
        assertThat(submit(GENERATE).getException()).isNotNull();
        assertThat(accountHealth().getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(accountHealth().getDetails()).containsEntry("last.error.code", 500);
    }

    @Test
    void readinessOnlyAndNeverTheKey() {
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(apiError(401, "Invalid API key")));
        submit(GENERATE);

        assertThat(HealthCheckHelper.invokeLiveness(context, "full")).extracting(result -> result.getCheck().getId())
                .doesNotContain(CHECK_ID);
        assertThat(HealthCheckHelper.invokeReadiness(context, "full")).extracting(result -> result.getCheck().getId())
                .contains(CHECK_ID);
        assertThat(HealthCheckHelper.isResultsUp(HealthCheckHelper.invokeReadiness(context), true)).isFalse();
        assertThat(HealthCheckHelper.invoke(context, "full")).as("producer checks are off by default, as in Camel")
                .noneSatisfy(result -> assertThat(result.getCheck().getId()).startsWith("producer:"));

        HealthCheck.Result down = accountHealth();
        assertThat(down.getMessage().orElseThrow()).doesNotContain(API_KEY);
        assertThat(down.getDetails().values()).allSatisfy(value -> assertThat(String.valueOf(value))
                .doesNotContain(API_KEY));
    }

    @Test
    void oneCheckPerAccount() {
        stubGenerate("t-a");
        assertThat(submit(GENERATE).getException()).isNull();
        assertThat(submit(generateUri("account=second")).getException()).isNull();

        assertThat(accountChecks()).extracting(result -> result.getCheck().getId())
                .containsExactlyInAnyOrder(CHECK_ID, "gptimage-account-store1-second");
        HealthCheck.Result second = accountChecks().stream()
                .filter(result -> result.getCheck().getId().endsWith("-second")).findFirst().orElseThrow();
        assertThat(second.getDetails()).containsEntry("account", "second").containsKey("pending.tasks");
    }

    /** The pending tasks are read at most once a second per store: the count may lag that long. */
    private void awaitPendingTasks(int expected) {
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(accountHealth().getDetails())
                .containsEntry("pending.tasks", expected));
    }

    private List<HealthCheck.Result> accountChecks() {
        return HealthCheckHelper.invoke(context, "full").stream()
                .filter(result -> result.getCheck().getId().startsWith("gptimage-account-")).toList();
    }

    private HealthCheck.Result accountHealth() {
        return HealthCheckHelper.invoke(context, "full").stream()
                .filter(result -> result.getCheck().getId().equals(CHECK_ID)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + CHECK_ID + " in " + HealthCheckHelper.invoke(context)));
    }
}
