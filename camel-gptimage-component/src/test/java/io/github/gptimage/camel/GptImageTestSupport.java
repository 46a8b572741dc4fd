package io.github.gptimage.camel;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.gptimage.camel.task.Account;
import io.github.gptimage.camel.task.CallbackTokens;
import io.github.gptimage.camel.task.InMemoryTaskStore;
import io.github.gptimage.camel.task.PollSchedule;
import io.github.gptimage.camel.task.TaskState;
import io.github.gptimage.camel.task.TrackedTask;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.github.gptimage.camel.ApiStubs.GENERATE_PATH;
import static io.github.gptimage.camel.ApiStubs.INFO_PATH;
import static io.github.gptimage.camel.ApiStubs.created;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Camel context per test and a WireMock server per test class standing in for the GPT image API, with the stubs and
 * request look-ups the tests share: generate answering a task id, info answering a sequence of statuses per task (a
 * WireMock scenario per task), the requests received, and a tasks consumer route for the completion tests.
 */
abstract class GptImageTestSupport extends CamelTestSupport {

    static final String API_KEY = "test-key-5ecr3t";
    static final String PROMPT = "A lighthouse at dawn, watercolour";

    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static WireMockExtension api = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    /** A task store per test, which the component uses once {@link #withTestStore} gave it (tests read it). */
    final InMemoryTaskStore store = new InMemoryTaskStore();

    /** How many tasks {@link #store} holds, pending or final. */
    int storedTasks() {
        return store.count(TaskState.PENDING) + store.count(TaskState.FINAL);
    }

    /**
     * Waits until {@link #store} holds no task: a completion exchange's end removes its task on the worker pool, just
     * after the exchange (and the mock endpoints it reached) returned.
     */
    void awaitStoreEmpty() {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(storedTasks()).isZero());
    }

    /** The account of the endpoints of {@link #uri}: derived from the WireMock base URL and the test key. */
    static String testAccount() {
        return Account.derivedName(api.baseUrl(), API_KEY);
    }

    /**
     * A pending task of the test account, as generate would have recorded it (with the digest of its callback URL's
     * {@code token}, when there is one), due at {@code due}.
     */
    static TrackedTask pendingTask(String taskId, Instant submittedAt, String token, Map<String, Object> headers,
                                   PollSchedule schedule, Instant due) {
        return TrackedTask.accepted(taskId, testAccount(), submittedAt, null,
                token != null ? CallbackTokens.digest(token) : null, headers, schedule, null).dueAt(due);
    }

    /** Gives the component {@link #store} as its task store; without it the component keeps its default store. */
    CamelContext withTestStore(CamelContext context) {
        context.getComponent("gptimage", GptImageComponent.class).getConfiguration().setTaskStore(store);
        return context;
    }

    /** An endpoint URI pointing at WireMock, with the test key and the given extra options ({@code a=1&b=2}). */
    static String uri(String operation, String extraOptions) {
        String uri = "gptimage:" + operation + "?apiKey=RAW(" + API_KEY + ")&baseUrl=" + api.baseUrl();
        return extraOptions == null || extraOptions.isEmpty() ? uri : uri + "&" + extraOptions;
    }

    static String generateUri(String extraOptions) {
        return uri("generate", extraOptions);
    }

    static String generateUri() {
        return generateUri(null);
    }

    /** The tasks consumer, polling every 100 ms from the start. */
    static String tasksUri(String extraOptions) {
        return uri("tasks", "initialDelay=0&delay=100"
                            + (extraOptions == null || extraOptions.isEmpty() ? "" : "&" + extraOptions));
    }

    /**
     * The route {@code tasks}: the tasks consumer with the given extra options, sending completions to
     * {@code mock:done} and failed tasks to the dead-letter channel {@code mock:dead}.
     */
    static RoutesBuilder tasksRoute(String extraOptions, boolean autoStartup) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(tasksUri(extraOptions)).routeId("tasks").autoStartup(autoStartup)
                        .errorHandler(deadLetterChannel("mock:dead"))
                        .to("mock:done");
            }
        };
    }

    /** generate answers {@code taskId} once per call (a different id per call needs {@link #stubGenerateSequence}). */
    static void stubGenerate(String taskId) {
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(okJson(created(taskId))));
    }

    /** generate answers the given ids, one per call, in order. */
    static void stubGenerateSequence(String... taskIds) {
        String state = Scenario.STARTED;
        for (int i = 0; i < taskIds.length; i++) {
            String next = "generated-" + (i + 1);
            api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).inScenario("generate").whenScenarioStateIs(state)
                    .willReturn(okJson(created(taskIds[i]))).willSetStateTo(next));
            state = next;
        }
    }

    /** info for {@code taskId} answers the given responses one per call, in order; the last one repeats. */
    static void stubInfoSequence(String taskId, ResponseDefinitionBuilder... responses) {
        String scenario = "info-" + taskId;
        String state = Scenario.STARTED;
        for (int i = 0; i < responses.length; i++) {
            boolean last = i == responses.length - 1;
            String next = "polled-" + (i + 1);
            var stub = post(urlPathEqualTo(INFO_PATH)).withQueryParam("taskId", equalTo(taskId))
                    .inScenario(scenario).whenScenarioStateIs(state).willReturn(responses[i]);
            api.stubFor(last ? stub : stub.willSetStateTo(next));
            state = next;
        }
    }

    /** info for {@code taskId} always answers {@code response}. */
    static void stubInfo(String taskId, ResponseDefinitionBuilder response) {
        api.stubFor(post(urlPathEqualTo(INFO_PATH)).withQueryParam("taskId", equalTo(taskId)).willReturn(response));
    }

    /** info, for any task, always answers {@code body} as JSON with the given HTTP status. */
    static void stubInfo(int httpStatus, String body) {
        api.stubFor(post(urlPathEqualTo(INFO_PATH)).willReturn(aResponse().withStatus(httpStatus)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    /** Sends a body and headers, returning the exchange (never throws: the failure is on the exchange). */
    Exchange send(String uri, Object body, Map<String, Object> headers) {
        return template.send(uri, exchange -> {
            exchange.getMessage().setBody(body);
            exchange.getMessage().setHeaders(new HashMap<>(headers));
        });
    }

    Exchange send(String uri, Object body) {
        return send(uri, body, Map.of());
    }

    /** Submits {@link #PROMPT} with the given headers and returns the exchange; the failure, if any, is on it. */
    Exchange submit(String uri, Map<String, Object> headers) {
        return send(uri, PROMPT, headers);
    }

    Exchange submit(String uri) {
        return submit(uri, Map.of());
    }

    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** The JSON bodies of the generate calls received, oldest first. */
    static List<JsonNode> generateBodies() throws Exception {
        List<JsonNode> bodies = new ArrayList<>();
        for (LoggedRequest request : api.findAll(postRequestedFor(urlPathEqualTo(GENERATE_PATH)))) {
            bodies.add(JSON.readTree(request.getBodyAsString()));
        }
        return bodies;
    }

    /** The JSON body of the one generate request WireMock received. */
    static JsonNode onlyGenerateBody() throws Exception {
        List<JsonNode> bodies = generateBodies();
        assertThat(bodies).as("generate requests").hasSize(1);
        return bodies.get(0);
    }

    static void assertNoRequestSent() {
        api.verify(0, anyRequestedFor(anyUrl()));
    }

    /** The info calls received for a task. */
    static List<LoggedRequest> infoCalls(String taskId) {
        return api.findAll(postRequestedFor(urlPathEqualTo(INFO_PATH)).withQueryParam("taskId", equalTo(taskId)));
    }

    static int infoCallCount(String taskId) {
        return infoCalls(taskId).size();
    }

    static int allInfoCallCount() {
        return api.findAll(postRequestedFor(urlPathEqualTo(INFO_PATH))).size();
    }

    /** When WireMock received each info call for the task, in milliseconds, oldest first. */
    static List<Long> infoCallTimes(String taskId) {
        List<Long> times = new ArrayList<>();
        for (ServeEvent event : api.getAllServeEvents()) {
            LoggedRequest request = event.getRequest();
            if (request.getUrl().startsWith(INFO_PATH) && taskId.equals(request.queryParameter("taskId").firstValue())) {
                times.add(request.getLoggedDate().getTime());
            }
        }
        times.sort(Long::compare);
        return times;
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @SuppressWarnings("unchecked")
    static <T extends Throwable> T failure(Exchange exchange, Class<T> type) {
        assertThat(exchange.getException()).as("exchange exception").isInstanceOf(type);
        return (T) exchange.getException();
    }
}
