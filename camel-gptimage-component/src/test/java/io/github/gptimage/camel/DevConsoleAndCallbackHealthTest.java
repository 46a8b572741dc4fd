package io.github.gptimage.camel;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.gptimage.camel.task.CallbackReceiverControl;
import io.github.gptimage.camel.task.GptImageTaskService;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.console.DevConsole;
import org.apache.camel.console.DevConsoleRegistry;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.util.json.JsonObject;
import org.junit.jupiter.api.Test;

import static io.github.gptimage.camel.ApiStubs.apiError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code gptimage} dev console, resolved through camel-console's registry as Camel's dev console endpoint does,
 * after a scripted run: two tasks pending (one awaited by an exchange), an info call answered 455, callbacks forged,
 * malformed and genuine; and the callback receiver's health check, DOWN while its HTTP route is stopped.
 */
class DevConsoleAndCallbackHealthTest extends GptImageTestSupport {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port = AvailablePortFinder.getNextAvailable();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = withTestStore(super.createCamelContext());
        VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
        server.setBindPort(port);
        context.addService(new VertxPlatformHttpServer(server));
        GptImageComponent component = context.getComponent("gptimage", GptImageComponent.class);
        component.setCallbackBaseUrl("http://localhost:" + port);
        component.setVerifyCallbacks(false);
        component.setAuthRecheckInterval(600_000);
        return context;
    }

    @Test
    void consoleShowsTasksAccountsErrorsAndCallbacks() throws Exception {
        stubGenerateSequence("t-1", "t-2");
        assertThat(submit(generateUri("pollInitialDelay=600000")).getException()).isNull();
        CompletableFuture<Exchange> waiting = template.asyncSend(
                generateUri("pollInitialDelay=600000&waitForCompletion=true&timeout=60000"),
                exchange -> exchange.getMessage().setBody(PROMPT));
        await().atMost(Duration.ofSeconds(5)).until(() -> service().waiting() == 1);
        stubInfo("t-9", apiError(455, "Service under maintenance"));
        assertThat(send(uri("info", null), "t-9").getException()).isNotNull();

        assertThat(post("http://localhost:" + port + "/gptimage/callback/forged-token", callback("t-1"))).isEqualTo(401);
        assertThat(post("http://localhost:" + port + "/gptimage/callback/forged-token", "not json")).isEqualTo(400);

        JsonNode json = JSON.readTree(((JsonObject) console().call(DevConsole.MediaType.JSON, Map.of())).toJson());
        JsonNode store = json.at("/stores/0");
        assertThat(store.get("name").asText()).isEqualTo("store1");
        assertThat(store.at("/tasks/pending").asInt()).isEqualTo(2);
        assertThat(store.at("/tasks/final").asInt()).isZero();
        assertThat(store.get("waitingExchanges").asInt()).isEqualTo(1);
        assertThat(store.get("pollsInFlight").asInt()).isZero();
        assertThat(store.get("oldestPendingSubmittedAt").asText()).isNotBlank();
        assertThat(store.get("oldestPendingAgeMillis").asLong()).isNotNegative();
        JsonNode account = store.at("/accounts/0");
        assertThat(account.get("name").asText()).isEqualTo(testAccount());
        assertThat(account.get("baseUrl").asText()).isEqualTo(api.baseUrl());
        assertThat(account.get("health").asText()).isEqualTo("DOWN");
        assertThat(account.at("/tasks/pending").asInt()).isEqualTo(2);
        assertThat(account.at("/lastError/code").asInt()).isEqualTo(455);
        assertThat(account.at("/lastError/operation").asText()).isEqualTo("info");
        assertThat(store.at("/callbacks/serving").asBoolean()).isTrue();
        assertThat(store.at("/callbacks/received").asLong()).isEqualTo(2);
        assertThat(store.at("/callbacks/refused").asLong()).isEqualTo(2);
        assertThat(store.at("/callbacks/verdicts/unauthorized").asLong()).isEqualTo(1);
        assertThat(store.at("/callbacks/verdicts/malformed").asLong()).isEqualTo(1);
        assertThat(json.toString()).doesNotContain(API_KEY);

        // the genuine callback completes the waiting exchange
        String url = generateBodies().get(1).get("callBackUrl").asText();
        assertThat(post(url, callback("t-2"))).isEqualTo(200);
        assertThat(waiting.get().getException()).isNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> storedTasks() == 1); // removed once its exchange completed

        String text = (String) console().call(DevConsole.MediaType.TEXT, Map.of());
        assertThat(text).contains("Store: store1 (InMemoryTaskStore, started")
                .contains("Tasks: 1 pending, 0 final; 0 waiting exchanges; 0 polls in flight (max 10)")
                .contains("Oldest pending: submitted ")
                .contains("Account: " + testAccount() + "  DOWN  " + api.baseUrl())
                .contains("Down: the service is under maintenance (455)")
                .contains("Last error: 455 on info")
                .contains("Callbacks: POST /gptimage/callback/{token} serving; 3 received, 2 refused"
                          + " (accepted 1, malformed 1, unauthorized 1)")
                .doesNotContain(API_KEY);
    }

    @Test
    void consoleShowsEachAccountsBudgetAndSubmitRate() throws Exception {
        stubGenerate("t-budget");
        assertThat(submit(generateUri("pollInitialDelay=600000&creditBudget=5000&maxSubmitsPerSecond=2"),
                map(GptImageConstants.VARIANTS, 2)).getException()).isNull();

        JsonNode json = JSON.readTree(((JsonObject) console().call(DevConsole.MediaType.JSON, Map.of())).toJson());
        JsonNode account = json.at("/stores/0/accounts/0");
        assertThat(account.at("/budget/credits").asLong()).isEqualTo(5000);
        assertThat(account.at("/budget/spent").asLong()).isEqualTo(20);
        assertThat(account.at("/budget/period").asText()).isEqualTo("PT24H");
        assertThat(account.at("/budget/windowEnd").asText()).endsWith("T00:00:00Z");
        assertThat(account.get("maxSubmitsPerSecond").asDouble()).isEqualTo(2.0);
        String text = (String) console().call(DevConsole.MediaType.TEXT, Map.of());
        assertThat(text).contains("Budget: 20 of 5000 credits per PT24H").contains(" spent, window ending ")
                .contains("Submits: at most 2.0 a second on this node");
    }

    @Test
    void callbackReceiverIsDownWhileItsRouteIsNotServing() throws Exception {
        stubGenerate("t-3");
        assertThat(submit(generateUri("pollInitialDelay=600000")).getException()).isNull();
        HealthCheck.Result up = callbackHealth();
        assertThat(up.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(up.getDetails()).containsEntry("callback.path", "/gptimage/callback")
                .containsEntry("store", "store1");

        CallbackReceiverControl.stop(service());
        HealthCheck.Result down = callbackHealth();
        assertThat(down.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(down.getMessage().orElseThrow()).contains("POST /gptimage/callback/{token}")
                .contains("is not serving");

        CallbackReceiverControl.start(service());
        assertThat(callbackHealth().getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(post(generateBodies().get(0).get("callBackUrl").asText(), callback("t-3"))).isEqualTo(200);
    }

    private HealthCheck.Result callbackHealth() {
        return HealthCheckHelper.invoke(context, "full").stream()
                .filter(result -> result.getCheck().getId().equals("gptimage-callbacks-store1")).findFirst()
                .orElseThrow();
    }

    private DevConsole console() {
        DevConsoleRegistry registry = context.getCamelContextExtension().getContextPlugin(DevConsoleRegistry.class);
        assertThat(registry).as("camel-console's registry").isNotNull();
        DevConsole console = registry.resolveById("gptimage");
        assertThat(console).as("the gptimage console, found by its generated service file").isNotNull();
        return console;
    }

    private GptImageTaskService service() {
        return context.getComponent("gptimage", GptImageComponent.class).taskServices().get("store1");
    }

    private static String callback(String taskId) {
        return "{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"" + taskId + "\",\"info\":{\"result_urls\":"
               + "[\"https://cdn.example.com/" + taskId + ".png\"]}}}";
    }

    private static int post(String url, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }
}
