package io.github.gptimage.camel;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.github.gptimage.camel.task.PollSchedule;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;

import static io.github.gptimage.camel.ApiStubs.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Callbacks over Camel's real HTTP server (platform-http on Vert.x, on a free port), the component's
 * {@code callbackBaseUrl} pointing at it, and a tasks consumer route that is started by each test (so that a test can
 * post a callback while no consumer runs).
 */
abstract class CallbackTestSupport extends GptImageTestSupport {

    static final int MAX_BODY = 1024;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final int port = AvailablePortFinder.getNextAvailable();

    abstract boolean verifyCallbacks();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = withTestStore(super.createCamelContext());
        VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
        server.setBindPort(port);
        context.addService(new VertxPlatformHttpServer(server));
        GptImageComponent component = context.getComponent("gptimage", GptImageComponent.class);
        component.setCallbackBaseUrl("http://localhost:" + port);
        component.setCallbackMaxBodySize(MAX_BODY);
        component.setVerifyCallbacks(verifyCallbacks());
        component.getConfiguration().setMaxConcurrentPolls(100);
        return context;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return tasksRoute(null, false);
    }

    void startConsumer() throws Exception {
        context.getRouteController().startRoute("tasks");
    }

    String callbackPrefix() {
        return "http://localhost:" + port + "/gptimage/callback/";
    }

    /** The callBackUrl of the n-th generate request WireMock received. */
    static String sentCallbackUrl(int index) throws Exception {
        return generateBodies().get(index).get("callBackUrl").asText();
    }

    static String successCallback(String taskId, String url) {
        return "{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"" + taskId + "\",\"info\":{\"result_urls\":[\""
               + url + "\"]}}}";
    }

    static String failureCallback(String taskId) {
        return "{\"code\":400,\"msg\":\"Your content was flagged by OpenAI as violating content policies\","
               + "\"data\":{\"taskId\":\"" + taskId + "\",\"info\":null}}";
    }

    static int post(String url, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }

    /** No info call was made and the task is still pending. */
    void assertNoInfoCallAndStillPending(String taskId) {
        assertThat(allInfoCallCount()).isZero();
        assertThat(store.find(taskId)).isPresent();
    }

    /** How many times each task id was emitted, to the route or its dead-letter channel. */
    Map<String, Long> emissionsPerTask() {
        List<Exchange> all = new ArrayList<>(getMockEndpoint("mock:done").getReceivedExchanges());
        all.addAll(getMockEndpoint("mock:dead").getReceivedExchanges());
        return all.stream().collect(Collectors.groupingBy(
                exchange -> exchange.getMessage().getHeader(GptImageConstants.TASK_ID, String.class),
                Collectors.counting()));
    }

    int emitted() {
        return getMockEndpoint("mock:done").getReceivedCounter() + getMockEndpoint("mock:dead").getReceivedCounter();
    }

    /** Runs in each subclass: with verified and with unverified callbacks. */
    @Test
    void callbackAndPollRacingOnFiftyTasksEmitEachOnce() throws Exception {
        raceCallbacksWithPolls(50);
    }

    /**
     * Puts {@code tasks} tasks in the store, all due for a poll at the same moment, with info answering SUCCESS at
     * once, and posts each one's callback around that moment (from 20 ms before to 120 ms after, the consumer polling
     * every 100 ms): each task must still be emitted exactly once.
     */
    void raceCallbacksWithPolls(int tasks) throws Exception {
        startConsumer();
        Instant due = Instant.now().plusMillis(700);
        PollSchedule schedule = new PollSchedule(Duration.ofMillis(334), Duration.ofSeconds(5), true);
        for (int i = 0; i < tasks; i++) {
            String taskId = "race-" + i;
            stubInfo(taskId, success(taskId, "https://cdn.example.com/" + taskId + ".png"));
            store.add(pendingTask(taskId, Instant.now(), "race-token-" + i + "-0123456789abcdef", Map.of(), schedule, due));
        }
        ScheduledExecutorService senders = Executors.newScheduledThreadPool(16);
        try {
            long untilDue = Duration.between(Instant.now(), due).toMillis();
            List<ScheduledFuture<Integer>> posts = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                String taskId = "race-" + i;
                String url = callbackPrefix() + "race-token-" + i + "-0123456789abcdef";
                posts.add(senders.schedule(() -> post(url, successCallback(taskId, "https://cdn.example.com/" + taskId
                                                                                   + ".png")),
                        untilDue - 20 + (i % 8) * 20L, TimeUnit.MILLISECONDS));
            }
            for (ScheduledFuture<Integer> status : posts) {
                assertThat(status.get(20, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            senders.shutdownNow();
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> emissionsPerTask().size() == tasks);
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3)).until(() -> emitted() == tasks);
        assertThat(emissionsPerTask()).hasSize(tasks).allSatisfy((taskId, count) -> assertThat(count)
                .as("emissions of %s", taskId).isEqualTo(1L));
        assertThat(getMockEndpoint("mock:dead").getReceivedCounter()).isZero();
        awaitStoreEmpty();
    }

    /** Submits one task, with info answering {@code infoAnswer} for it, and returns the callback URL sent with it. */
    String submitTask(String taskId, ResponseDefinitionBuilder infoAnswer) throws Exception {
        stubInfo(taskId, infoAnswer);
        return submitTask(taskId);
    }

    /** Submits one task (generate answering {@code taskId}) and returns the callback URL sent with it. */
    String submitTask(String taskId) throws Exception {
        stubGenerate(taskId);
        Exchange submitted = submit(uri("generate", null));
        assertThat(submitted.getException()).isNull();
        String url = sentCallbackUrl(generateBodies().size() - 1);
        assertThat(url).startsWith(callbackPrefix());
        return url;
    }
}
