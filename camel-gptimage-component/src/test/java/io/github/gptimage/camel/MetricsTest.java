package io.github.gptimage.camel;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.gptimage.camel.metrics.MicrometerTaskMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.gptimage.camel.ApiStubs.GENERATE_PATH;
import static io.github.gptimage.camel.ApiStubs.apiError;
import static io.github.gptimage.camel.ApiStubs.created;
import static io.github.gptimage.camel.ApiStubs.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Micrometer metrics on a {@link SimpleMeterRegistry} bean, asserted after a scripted run against WireMock: a
 * refused-before-sending submit, an accepted one completed by a poll with its image downloaded, one refused with 402,
 * an info call answered 455, a forged and a genuine callback, and the gauge of pending tasks.
 */
class MetricsTest extends GptImageTestSupport {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final byte[] IMAGE = new byte[1234];

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final int port = AvailablePortFinder.getNextAvailable();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = withTestStore(super.createCamelContext());
        context.getRegistry().bind("meters", meters);
        VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
        server.setBindPort(port);
        context.addService(new VertxPlatformHttpServer(server));
        GptImageComponent component = context.getComponent("gptimage", GptImageComponent.class);
        component.setCallbackBaseUrl("http://localhost:" + port);
        component.setVerifyCallbacks(false);
        return context;
    }

    @Test
    void countersTimersAndGaugesAfterAScriptedRun() throws Exception {
        String account = testAccount();

        // refused before anything is sent
        Exchange invalid = submit(generateUri(), map(GptImageConstants.SIZE, "16:9"));
        assertThat(invalid.getException()).isNotNull();
        assertThat(count(MicrometerTaskMetrics.SUBMITS, "outcome", "validation")).isEqualTo(1);

        // accepted, polled to SUCCESS, its image downloaded, while the exchange waits
        api.stubFor(get(urlPathEqualTo("/files/t-1.png")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "image/png").withBody(IMAGE)));
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(okJson(created("t-1"))));
        stubInfo("t-1", success("t-1", api.baseUrl() + "/files/t-1.png"));
        Exchange waited = submit(generateUri("waitForCompletion=true&download=true&pollInitialDelay=334"));
        assertThat(waited.getException()).isNull();
        assertThat(waited.getMessage().getBody(byte[].class)).hasSize(IMAGE.length);

        assertThat(count(MicrometerTaskMetrics.SUBMITS, "outcome", "accepted", "code", "200", "account", account,
                "gen_ai.operation.name", "generate_content", "gen_ai.request.model", "gpt-4o-image")).isEqualTo(1);
        Timer submitCall = meters.get(MicrometerTaskMetrics.SUBMIT_DURATION).tag("outcome", "accepted").timer();
        assertThat(submitCall.count()).isEqualTo(1);
        assertThat(submitCall.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(count(MicrometerTaskMetrics.INFO_CALLS, "outcome", "success", "account", account)).isEqualTo(1);
        assertThat(count(MicrometerTaskMetrics.COMPLETIONS, "status", "SUCCESS", "source", "poll")).isEqualTo(1);
        Timer toCompletion = meters.get(MicrometerTaskMetrics.TASK_DURATION).tag("status", "SUCCESS").timer();
        assertThat(toCompletion.count()).isEqualTo(1);
        assertThat(toCompletion.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(334);
        assertThat(count(MicrometerTaskMetrics.IMAGES_DOWNLOADED, "outcome", "success")).isEqualTo(1);
        assertThat(count(MicrometerTaskMetrics.IMAGES_DOWNLOADED_BYTES, "account", account)).isEqualTo(IMAGE.length);

        // refused by the service: 402
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(apiError(402, "Insufficient credits")));
        assertThat(submit(generateUri()).getException()).isNotNull();
        assertThat(count(MicrometerTaskMetrics.SUBMITS, "outcome", "refused", "code", "402")).isEqualTo(1);
        assertThat(meters.get(MicrometerTaskMetrics.SUBMIT_DURATION).tag("code", "402").timer().count()).isEqualTo(1);

        // an info endpoint answered 455
        stubInfo("t-9", apiError(455, "maintenance"));
        assertThat(send(uri("info", null), "t-9").getException()).isNotNull();
        assertThat(count(MicrometerTaskMetrics.INFO_CALLS, "outcome", "refused", "code", "455")).isEqualTo(1);

        // a task completed by its callback; a forged callback refused; the gauge of pending tasks meanwhile
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(okJson(created("t-2"))));
        assertThat(submit(generateUri("pollInitialDelay=600000")).getException()).isNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> meters.get(MicrometerTaskMetrics.TASKS).tag("store", "store1")
                .tag("state", "pending").gauge().value() == 1 && storedTasks() == 1);
        assertThat(postCallback("http://localhost:" + port + "/gptimage/callback/forged", callback("t-2"))).isEqualTo(401);
        String url = generateBodies().get(generateBodies().size() - 1).get("callBackUrl").asText();
        assertThat(postCallback(url, callback("t-2"))).isEqualTo(200);
        assertThat(count(MicrometerTaskMetrics.CALLBACKS, "verdict", "unauthorized")).isEqualTo(1);
        assertThat(count(MicrometerTaskMetrics.CALLBACKS, "verdict", "accepted")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> count(MicrometerTaskMetrics.COMPLETIONS, "status", "SUCCESS",
                "source", "callback") == 1);
        assertThat(meters.get(MicrometerTaskMetrics.TASKS).tag("store", "store1").tag("state", "pending").gauge()
                .value()).isZero();

        assertThat(count(MicrometerTaskMetrics.SUBMITS)).isEqualTo(4);
        assertThat(count(MicrometerTaskMetrics.CREDITS, "account", account)).as("two accepted tasks of 10 credits")
                .isEqualTo(20);
        assertThat(meters.getMeters()).as("no tag holds the key").allSatisfy(meter -> assertThat(meter.getId().getTags())
                .extracting(Tag::getValue).noneSatisfy(value -> assertThat(value).contains(API_KEY)));
    }

    /** The sum of the counters named {@code name} with the given tags (key, value, ...). */
    private double count(String name, String... tags) {
        return meters.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static String callback(String taskId) {
        return "{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"" + taskId + "\",\"info\":{\"result_urls\":"
               + "[\"https://cdn.example.com/" + taskId + ".png\"]}}}";
    }

    private static int postCallback(String url, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }
}
