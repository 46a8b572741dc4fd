package io.github.gptimage.camel;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.gptimage.camel.error.GptImageRateLimitException;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.gptimage.camel.ApiStubs.GENERATE_PATH;
import static io.github.gptimage.camel.ApiStubs.apiError;
import static io.github.gptimage.camel.ApiStubs.created;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 429 with {@code Retry-After} pauses the account's submits: the next generate is not sent (and refused again)
 * before the time is up, and no thread waits for it meanwhile.
 */
class RetryAfterTest extends GptImageTestSupport {

    @Test
    void submitAfterA429WaitsForItsRetryAfter() {
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).inScenario("limited").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(apiError(429, "too many requests").withHeader("Retry-After", "2"))
                .willSetStateTo("open"));
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).inScenario("limited").whenScenarioStateIs("open")
                .willReturn(okJson(created("t-after"))));
        String uri = uri("generate", "trackCompletion=false");

        Exchange limited = submit(uri);
        Exchange next = submit(uri);

        assertThat(limited.getException()).isInstanceOf(GptImageRateLimitException.class);
        assertThat(next.getException()).isNull();
        assertThat(next.getMessage().getBody()).isEqualTo("t-after");
        List<LoggedRequest> sent = api.findAll(postRequestedFor(urlPathEqualTo(GENERATE_PATH)));
        assertThat(sent).hasSize(2);
        long waited = Math.abs(sent.get(1).getLoggedDate().getTime() - sent.get(0).getLoggedDate().getTime());
        assertThat(Duration.ofMillis(waited)).as("the second submit waited for the Retry-After")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }
}
