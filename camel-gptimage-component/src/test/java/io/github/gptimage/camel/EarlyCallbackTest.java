package io.github.gptimage.camel;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.github.tomakehurst.wiremock.client.WireMock;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.gptimage.camel.ApiStubs.GENERATE_PATH;
import static io.github.gptimage.camel.ApiStubs.created;
import static io.github.gptimage.camel.ApiStubs.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A fast service may call back before the answer to its generate arrived: the callback is held (answered 200), not
 * refused as forged, and completes the task once the answer is recorded.
 */
class EarlyCallbackTest extends CallbackTestSupport {

    @Override
    boolean verifyCallbacks() {
        return true;
    }

    @Test
    void callbackBeforeTheGenerateAnswerIsHeldAndCompletesTheTask() throws Exception {
        startConsumer();
        api.stubFor(WireMock.post(urlPathEqualTo(GENERATE_PATH)).willReturn(okJson(created("t-early")).withFixedDelay(1500)));
        stubInfo("t-early", success("t-early", "https://cdn.example.com/early.png"));

        CompletableFuture<Exchange> submitted = CompletableFuture.supplyAsync(() -> submit(uri("generate", null)));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !api.findAll(postRequestedFor(urlPathEqualTo(GENERATE_PATH))).isEmpty());
        String url = sentCallbackUrl(0);

        assertThat(post(url, successCallback("t-early", "https://cdn.example.com/early.png")))
                .as("held while the generate answer is under way").isEqualTo(200);
        assertThat(submitted.get().getException()).isNull();

        await().atMost(Duration.ofSeconds(10)).until(() -> emitted() == 1);
        assertThat(getMockEndpoint("mock:done").getReceivedExchanges().get(0).getMessage().getBody())
                .isEqualTo(List.of("https://cdn.example.com/early.png"));
        awaitStoreEmpty();
    }
}
