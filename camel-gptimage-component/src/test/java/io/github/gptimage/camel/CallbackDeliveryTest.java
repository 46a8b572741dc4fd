package io.github.gptimage.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.gptimage.camel.error.GptImageGenerationFailedException;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static io.github.gptimage.camel.ApiStubs.failed;
import static io.github.gptimage.camel.ApiStubs.generating;
import static io.github.gptimage.camel.ApiStubs.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Callbacks with {@code verifyCallbacks=true} (the default): the token round trip, one confirming info call whose
 * answer decides, idempotent duplicates, refused forgeries, body limits, and a callback that arrives while no consumer
 * runs.
 */
class CallbackDeliveryTest extends CallbackTestSupport {

    @Override
    boolean verifyCallbacks() {
        return true;
    }

    @Test
    void callbackUrlCarriesAnUnguessableTokenAndOneInfoCallConfirmsIt() throws Exception {
        startConsumer();
        String url = submitTask("t1", success("t1", "https://cdn.example.com/t1_from_info.png"));

        String token = url.substring(callbackPrefix().length());
        assertThat(token).hasSizeGreaterThanOrEqualTo(32).matches("[A-Za-z0-9_-]+");
        assertThat(post(url, successCallback("t1", "https://cdn.example.com/t1_from_callback.png"))).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> emitted() == 1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                .until(() -> emitted() == 1 && infoCallCount("t1") == 1);
        Exchange done = getMockEndpoint("mock:done").getReceivedExchanges().get(0);
        assertThat(done.getMessage().getBody()).as("the info call, not the callback, decides")
                .isEqualTo(List.of("https://cdn.example.com/t1_from_info.png"));
        assertThat(done.getMessage().getHeader(GptImageConstants.TASK_ID)).isEqualTo("t1");
        awaitStoreEmpty();
    }

    @Test
    void eachTaskGetsItsOwnToken() throws Exception {
        startConsumer();
        String first = submitTask("t-a");
        String second = submitTask("t-b");

        assertThat(first).isNotEqualTo(second);
        assertThat(post(first, successCallback("t-b", "https://cdn.example.com/x.png")))
                .as("the token of another task").isEqualTo(401);
    }

    @Test
    void failureCallbackConfirmedByInfoFailsTheExchange() throws Exception {
        startConsumer();
        String url = submitTask("t-bad", failed("t-bad", "GENERATE_FAILED", "400", "flagged by the content policy"));

        assertThat(post(url, failureCallback("t-bad"))).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> getMockEndpoint("mock:dead").getReceivedCounter() == 1);
        Exchange dead = getMockEndpoint("mock:dead").getReceivedExchanges().get(0);
        Exception caught = dead.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        assertThat(caught).isInstanceOf(GptImageGenerationFailedException.class);
        assertThat(((GptImageGenerationFailedException) caught).getErrorCode()).isEqualTo("400");
        assertThat(getMockEndpoint("mock:done").getReceivedCounter()).isZero();
    }

    @Test
    void callbackWhileTheServiceStillGeneratesIsOnlyAHint() throws Exception {
        startConsumer();
        String url = submitTask("t-early", generating("t-early"));

        assertThat(post(url, successCallback("t-early", "https://cdn.example.com/forged.png"))).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> infoCallCount("t-early") == 1);
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> emitted() == 0);
        assertThat(store.find("t-early")).isPresent();
    }

    @Test
    void duplicateCallbackAfterCompletionIsAnsweredOkAndIgnored() throws Exception {
        startConsumer();
        String url = submitTask("t-dup", success("t-dup", "https://cdn.example.com/t-dup.png"));
        String payload = successCallback("t-dup", "https://cdn.example.com/t-dup.png");
        assertThat(post(url, payload)).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> emitted() == 1);

        assertThat(post(url, payload)).isEqualTo(200);
        assertThat(post(url, payload)).isEqualTo(200);

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> emitted() == 1 && infoCallCount("t-dup") == 1);
    }

    @Test
    void concurrentDuplicateCallbacksEmitOnce() throws Exception {
        startConsumer();
        String url = submitTask("t-burst", success("t-burst", "https://cdn.example.com/t-burst.png"));
        String payload = successCallback("t-burst", "https://cdn.example.com/t-burst.png");
        ExecutorService senders = Executors.newFixedThreadPool(10);
        try {
            List<Callable<Integer>> posts = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                posts.add(() -> post(url, payload));
            }
            for (Future<Integer> status : senders.invokeAll(posts, 20, TimeUnit.SECONDS)) {
                assertThat(status.get()).isEqualTo(200);
            }
        } finally {
            senders.shutdownNow();
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> emitted() == 1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> emitted() == 1);
        assertThat(emissionsPerTask()).containsEntry("t-burst", 1L);
    }

    @Test
    void forgedCallbacksAreRefusedAndChangeNothing() throws Exception {
        startConsumer();
        String url = submitTask("t-real", success("t-real", "https://cdn.example.com/t-real.png"));
        String payload = successCallback("t-real", "https://cdn.example.com/evil.png");

        assertThat(post(callbackPrefix() + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", payload))
                .as("wrong token").isEqualTo(401);
        assertThat(post(url + "x", payload)).as("token with a character more").isEqualTo(401);
        assertThat(post("http://localhost:" + port + "/gptimage/callback", payload)).as("no token").isNotEqualTo(200);
        assertThat(post(callbackPrefix(), payload)).as("empty token").isNotEqualTo(200);
        assertThat(post(url, successCallback("t-unknown", "https://cdn.example.com/evil.png")))
                .as("unknown task with a real token").isEqualTo(401);

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> emitted() == 0);
        assertNoInfoCallAndStillPending("t-real");
    }

    @Test
    void oversizedBodyIsRefusedWith413() throws Exception {
        startConsumer();
        String url = submitTask("t-big");
        String padding = "x".repeat(MAX_BODY * 2);
        String payload = "{\"code\":200,\"msg\":\"" + padding + "\",\"data\":{\"taskId\":\"t-big\",\"info\":null}}";

        assertThat(post(url, payload)).isEqualTo(413);

        assertNoInfoCallAndStillPending("t-big");
    }

    @Test
    void malformedBodiesAreRefusedWith400() throws Exception {
        startConsumer();
        String url = submitTask("t-mal");

        assertThat(post(url, "this is not JSON")).isEqualTo(400);
        assertThat(post(url, "{\"code\":200,\"msg\":\"success\",\"data\":{\"info\":null}}")).isEqualTo(400);
        assertThat(post(url, "{\"code\":200,\"msg\":\"success\"}")).isEqualTo(400);
        assertThat(post(url, "")).isEqualTo(400);

        assertNoInfoCallAndStillPending("t-mal");
        assertThat(emitted()).isZero();
    }

    @Test
    void callbackWithNoConsumerKeepsTheTaskUntilAConsumerStarts() throws Exception {
        stubInfo("t-later", success("t-later", "https://cdn.example.com/t-later.png"));
        stubGenerate("t-later");
        // a short maximum interval, so that the task put back for a consumer is polled again soon
        submit(uri("generate", "pollInitialDelay=334&pollMaxInterval=400"));
        String url = sentCallbackUrl(0);

        assertThat(post(url, successCallback("t-later", "https://cdn.example.com/t-later.png"))).isEqualTo(200);
        // the callback's confirming info call, and maybe a scheduled poll beside it
        await().atMost(Duration.ofSeconds(5)).until(() -> infoCallCount("t-later") >= 1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> store.find("t-later").isPresent() && emitted() == 0);

        startConsumer();

        await().atMost(Duration.ofSeconds(10)).until(() -> emitted() == 1);
        Exchange done = getMockEndpoint("mock:done").getReceivedExchanges().get(0);
        assertThat(done.getMessage().getBody()).isEqualTo(List.of("https://cdn.example.com/t-later.png"));
        awaitStoreEmpty();
    }
}
