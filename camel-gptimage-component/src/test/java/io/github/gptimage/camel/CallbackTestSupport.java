package io.github.gptimage.camel;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.gptimage.camel.task.InMemoryTaskStore;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.test.AvailablePortFinder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Callbacks over Camel's real HTTP server (platform-http on Vert.x, on a free port), the component's
 * {@code callbackBaseUrl} pointing at it, and a tasks consumer route that is started by each test (so that a test can
 * post a callback while no consumer runs).
 */
abstract class CallbackTestSupport extends CompletionTestSupport {

    static final int MAX_BODY = 1024;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final int port = AvailablePortFinder.getNextAvailable();
    final InMemoryTaskStore store = new InMemoryTaskStore();

    abstract boolean verifyCallbacks();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
        server.setBindPort(port);
        context.addService(new VertxPlatformHttpServer(server));
        GptImageConfiguration config = context.getComponent("gptimage", GptImageComponent.class).getConfiguration();
        config.setTaskStore(store);
        config.setCallbackBaseUrl("http://localhost:" + port);
        config.setCallbackMaxBodySize(MAX_BODY);
        config.setVerifyCallbacks(verifyCallbacks());
        config.setMaxConcurrentPolls(100);
        return context;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(tasksUri(null)).routeId("tasks").autoStartup(false)
                        .errorHandler(deadLetterChannel("mock:dead"))
                        .to("mock:done");
            }
        };
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

    /** How many times each task id was emitted, to the route or its dead-letter channel. */
    Map<String, Long> emissionsPerTask() {
        List<Exchange> all = new java.util.ArrayList<>(getMockEndpoint("mock:done").getReceivedExchanges());
        all.addAll(getMockEndpoint("mock:dead").getReceivedExchanges());
        return all.stream().collect(Collectors.groupingBy(
                exchange -> exchange.getMessage().getHeader(GptImageConstants.TASK_ID, String.class),
                Collectors.counting()));
    }

    int emitted() {
        return getMockEndpoint("mock:done").getReceivedCounter() + getMockEndpoint("mock:dead").getReceivedCounter();
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
