package io.github.gptimage.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gptimage.camel.GptImageComponent;
import io.github.gptimage.camel.GptImageConstants;
import io.github.gptimage.camel.api.TaskStatus;
import io.github.gptimage.camel.error.GptImageRateLimitException;
import io.github.gptimage.camel.error.GptImageRetryableException;
import io.github.gptimage.camel.task.InMemoryTaskStore;
import io.github.gptimage.camel.task.TaskState;
import io.github.gptimage.simulator.ApiCall;
import io.github.gptimage.simulator.GptImageSimulator;
import io.github.gptimage.simulator.Scenario;
import io.github.gptimage.simulator.TaskDetails;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.test.AvailablePortFinder;

import static org.awaitility.Awaitility.await;

/**
 * One run of the fault suite: a simulator, a CamelContext with the component pointed at it, the submit routes with the
 * README's redelivery pattern (retryable errors redelivered, final ones to a dead-letter channel), one completion
 * style, and the records the assertions need: which order got which task, every completion per task id (completion
 * route and its dead-letter channel alike), every dead-lettered submit.
 */
final class FaultRun implements AutoCloseable {

    static final String API_KEY = "fault-suite-key";
    /** The tasks each run wants the service to accept (and pay). */
    static final int TASKS = 50;
    static final String ORDER_HEADER = "orderId";
    /** The README's pattern waits 1, 2, 4 s between attempts; scaled down to 500 ms, 1 s, 2 s. */
    static final long REDELIVERY_DELAY = 500;
    private static final Pattern ORDER_IN_PROMPT = Pattern.compile("order-(\\d{3})");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How completions are learned. */
    enum Style {
        POLLING("submit, then the gptimage:tasks consumer (polling)"),
        CALLBACKS("submit, callbacks to platform-http, gptimage:tasks consumer"),
        WAITING("waitForCompletion=true producers");

        final String description;

        Style(String description) {
            this.description = description;
        }
    }

    /** A scripted storm: the next {@code times} calls of an endpoint follow {@code scenario}. */
    record Fault(Scenario scenario, int times) {
    }

    /**
     * On generate, consumed by the submits in this order: 20 consecutive 500, 20 consecutive 455, 20 connection resets,
     * a 429 with Retry-After, malformed bodies, broken chunked bodies. None of them creates a task in the simulator.
     */
    static final List<Fault> GENERATE_STORM = List.of(new Fault(Scenario.SERVER_ERROR, 20),
            new Fault(Scenario.MAINTENANCE, 20), new Fault(Scenario.CONNECTION_RESET, 20),
            new Fault(Scenario.RATE_LIMITED, 1), new Fault(Scenario.MALFORMED, 2), new Fault(Scenario.BAD_CHUNK, 2));
    /** On info (polls and callback confirmations), consumed while the tasks are pending. */
    static final List<Fault> INFO_STORM = List.of(new Fault(Scenario.SERVER_ERROR, 20),
            new Fault(Scenario.MAINTENANCE, 20), new Fault(Scenario.CONNECTION_RESET, 20),
            new Fault(Scenario.MALFORMED, 3), new Fault(Scenario.BAD_CHUNK, 2), new Fault(Scenario.RATE_LIMITED, 1));

    /** A malformed generate answer is a final error: that submit goes to the dead-letter channel, nothing is paid. */
    static final int FINAL_GENERATE_FAULTS = GENERATE_STORM.stream()
            .filter(fault -> fault.scenario() == Scenario.MALFORMED).mapToInt(Fault::times).sum();
    /** Orders submitted: enough that {@link #TASKS} are accepted when the final faults took theirs. */
    static final int ORDERS = TASKS + FINAL_GENERATE_FAULTS;

    /** A completion exchange as the route (or its dead-letter channel) saw it. */
    record Completion(String taskId, String orderId, boolean deadLettered, TaskStatus status, List<String> resultUrls,
                      String errorCode, Throwable failure, long atMillis) {
    }

    final Style style;
    final boolean verifyCallbacks;
    /** Whether the submit route's redelivery waits are scheduled (true) or slept on the failing thread (README). */
    final Duration completionTime;
    final GptImageSimulator sim;
    final CountingHttpClient http = new CountingHttpClient();
    final InMemoryTaskStore store = new InMemoryTaskStore();
    final CamelContext context;
    final ProducerTemplate template;
    final int receiverPort;
    final FlakyCallbackFront front;

    /** order id to the task id generate answered for it (submit-then-consume styles). */
    final Map<String, String> accepted = new ConcurrentHashMap<>();
    /** When each order was resolved (accepted or dead-lettered), in milliseconds since the run started. */
    final Map<String, Long> resolvedAt = new ConcurrentHashMap<>();
    /** order ids generate answered more than once (a resubmitted order). */
    final List<String> acceptedAgain = new CopyOnWriteArrayList<>();
    /** order id to the exception its submit was dead-lettered with. */
    final Map<String, Throwable> deadSubmits = new ConcurrentHashMap<>();
    final List<String> deadAgain = new CopyOnWriteArrayList<>();
    /** task id ("" when the exchange had none) to every completion exchange of it. */
    final Map<String, List<Completion>> completions = new ConcurrentHashMap<>();
    /** The Retry-After of every 429 the submit route waited for. */
    final List<Duration> rateLimitWaits = new CopyOnWriteArrayList<>();
    /** The threads the submit route's failed attempts were reported on (where a blocking redelivery sleeps). */
    final Map<String, Integer> failureThreads = new ConcurrentHashMap<>();
    /** When the first order was submitted (the run's clock). */
    private volatile long startedAt = System.currentTimeMillis();

    FaultRun(Style style, boolean verifyCallbacks, Duration completionTime)
            throws Exception {
        this.style = style;
        this.verifyCallbacks = verifyCallbacks;
        this.completionTime = completionTime;
        this.sim = GptImageSimulator.builder()
                .apiKey(API_KEY)
                .completionTime(completionTime)
                .retryAfterSeconds(1)
                // failed callbacks retried after 120 ms, 600 ms, 1.8 s instead of 1, 5, 15 minutes
                .callbackRetryScale(0.002)
                .callbackTimeout(Duration.ofSeconds(5))
                .lateCallbackDelay(Duration.ofMillis(1500))
                .build().start();
        this.context = new DefaultCamelContext();
        GptImageComponent component = context.getComponent("gptimage", GptImageComponent.class);
        component.getConfiguration().setApiKey(API_KEY);
        component.getConfiguration().setBaseUrl(sim.baseUrl());
        component.getConfiguration().setHttpClient(http.client());
        component.getConfiguration().setTaskStore(store);
        component.getConfiguration().setMaxConcurrentPolls(100);
        // the 334 ms floor (3 info calls a second per task), intervals up to 1 s
        component.getConfiguration().setPollInitialDelay(334);
        component.getConfiguration().setPollMaxInterval(1000);
        component.getConfiguration().setRequestTimeout(5000);
        component.getConfiguration().setConnectTimeout(2000);
        if (style == Style.CALLBACKS) {
            receiverPort = AvailablePortFinder.getNextAvailable();
            VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
            server.setBindPort(receiverPort);
            context.addService(new VertxPlatformHttpServer(server));
            // every 4th callback URL's first attempt is refused by the front: the simulator retries it
            front = new FlakyCallbackFront("http://localhost:" + receiverPort, 4);
            component.setCallbackBaseUrl(front.baseUrl());
            component.setVerifyCallbacks(verifyCallbacks);
        } else {
            receiverPort = -1;
            front = null;
        }
        // routes after the start: the callback receiver (started with the first generate producer) finds the
        // platform-http server running, and with it its port
        context.start();
        context.addRoutes(submitRoutes());
        if (style != Style.WAITING) {
            context.addRoutes(completionRoutes());
        }
        template = context.createProducerTemplate();
    }

    // ---- routes

    private RouteBuilder submitRoutes() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // --- the README's redelivery pattern (README.md, "Errors"), delays scaled down
                OnExceptionDefinition retry = onException(GptImageRetryableException.class)
                    .retryWhile(exchange -> exchange.getException() instanceof GptImageRetryableException
                        && exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) <= 3)
                    .redeliveryDelay(REDELIVERY_DELAY).useExponentialBackOff()
                    .asyncDelayedRedelivery();
                retry.onExceptionOccurred(exchange -> {
                        failureThreads.merge(Thread.currentThread().getName().replaceAll("#\\d+", "#n"), 1,
                                Integer::sum);
                        if (exchange.getException() instanceof GptImageRateLimitException limit
                            && limit.getRetryAfter() != null) {
                            rateLimitWaits.add(limit.getRetryAfter());
                            exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, limit.getRetryAfter().toMillis());
                        }
                    });
                errorHandler(deadLetterChannel("direct:submit-dead"));
                // ---

                String generate = style == Style.WAITING
                        ? "gptimage:generate?waitForCompletion=true&timeout=60000&correlationHeaders=" + ORDER_HEADER
                        : "gptimage:generate?correlationHeaders=" + ORDER_HEADER;
                RouteDefinition submit = from("seda:submit?concurrentConsumers=" + (ORDERS + 8) + "&size=1000")
                        .routeId("submit")
                        .to(generate);
                submit.process(style == Style.WAITING ? recordCompletion(false) : FaultRun.this::recordAccepted);
                // a waiting exchange whose task failed lands here too, with its task id
                from("direct:submit-dead").routeId("submit-dead").process(exchange -> {
                    if (style == Style.WAITING && exchange.getMessage().getHeader(GptImageConstants.TASK_ID) != null) {
                        recordCompletion(true).process(exchange);
                    } else {
                        recordDeadSubmit(exchange);
                    }
                });
            }
        };
    }

    private RouteBuilder completionRoutes() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("gptimage:tasks?initialDelay=0&delay=200").routeId("completions")
                        .errorHandler(deadLetterChannel("direct:completion-dead"))
                        .process(recordCompletion(false));
                from("direct:completion-dead").routeId("completion-dead").process(recordCompletion(true));
            }
        };
    }

    private void recordAccepted(Exchange exchange) {
        String order = exchange.getMessage().getHeader(ORDER_HEADER, String.class);
        String taskId = exchange.getMessage().getHeader(GptImageConstants.TASK_ID, String.class);
        if (accepted.putIfAbsent(order, taskId) != null) {
            acceptedAgain.add(order);
        }
        resolvedAt.putIfAbsent(order, elapsedMillis());
    }

    private void recordDeadSubmit(Exchange exchange) {
        String order = exchange.getMessage().getHeader(ORDER_HEADER, String.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (deadSubmits.putIfAbsent(order, cause) != null) {
            deadAgain.add(order);
        }
        resolvedAt.putIfAbsent(order, elapsedMillis());
    }

    @SuppressWarnings("unchecked")
    private Processor recordCompletion(boolean deadLettered) {
        return exchange -> {
            Message message = exchange.getMessage();
            String taskId = message.getHeader(GptImageConstants.TASK_ID, String.class);
            Completion completion = new Completion(taskId, message.getHeader(ORDER_HEADER, String.class),
                    deadLettered, message.getHeader(GptImageConstants.STATUS, TaskStatus.class),
                    message.getHeader(GptImageConstants.RESULT_URLS, List.class),
                    message.getHeader(GptImageConstants.ERROR_CODE, String.class),
                    deadLettered ? exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class) : null,
                    System.currentTimeMillis());
            completions.computeIfAbsent(taskId == null ? "" : taskId, id -> new CopyOnWriteArrayList<>())
                    .add(completion);
            if (completion.orderId() != null) {
                resolvedAt.putIfAbsent(completion.orderId(), elapsedMillis());
            }
        };
    }

    // ---- driving

    static String orderId(int n) {
        return String.format("order-%03d", n);
    }

    /** The prompt of order n: every 10th fails at the service (3: content policy, 7: 451); callback markers besides. */
    String prompt(int n) {
        StringBuilder prompt = new StringBuilder("Fault suite ").append(orderId(n)).append(": a lighthouse at dawn");
        if (n % 10 == 3) {
            prompt.append(" [fail]");
        } else if (n % 10 == 7) {
            prompt.append(" [451]");
        }
        if (style == Style.CALLBACKS) {
            if (n % 5 == 1) {
                prompt.append(" [duplicate-callback]");
            } else if (n % 5 == 2) {
                prompt.append(" [late-callback]");
            }
        }
        return prompt.toString();
    }

    /** Scripts both storms for the next calls of generate and info. */
    void scriptStorms() {
        GENERATE_STORM.forEach(fault -> sim.script(ApiCall.GENERATE, fault.scenario(), fault.times()));
        INFO_STORM.forEach(fault -> sim.script(ApiCall.INFO, fault.scenario(), fault.times()));
    }

    /** Submits every order at once (the seda route has a consumer per order). */
    void submitAll() {
        startedAt = System.currentTimeMillis();
        for (int n = 1; n <= ORDERS; n++) {
            template.sendBodyAndHeader("seda:submit", prompt(n), ORDER_HEADER, orderId(n));
        }
    }

    /** Orders that generate answered or whose submit was dead-lettered. */
    int resolvedOrders() {
        if (style == Style.WAITING) {
            long withTask = completions.values().stream().flatMap(List::stream).map(Completion::orderId).distinct()
                    .count();
            return (int) withTask + deadSubmits.size();
        }
        return accepted.size() + deadSubmits.size();
    }

    /** Waits until every submit is resolved. */
    void awaitSubmitsResolved(Duration atMost) {
        await("every order answered or dead-lettered").atMost(atMost).pollInterval(Duration.ofMillis(50))
                .until(() -> resolvedOrders() >= ORDERS);
    }

    /** Waits until every task the simulator created has a completion and the store holds nothing. */
    void awaitCompleted(Duration atMost) {
        await("a completion for every task the service created").atMost(atMost).pollInterval(Duration.ofMillis(50))
                .until(() -> resolvedOrders() >= ORDERS && completedTaskIds() >= sim.stats().tasksCreated()
                             && storedTasks() == 0);
    }

    long completedTaskIds() {
        return completions.keySet().stream().filter(id -> !id.isEmpty()).count();
    }

    int storedTasks() {
        return store.count(TaskState.PENDING) + store.count(TaskState.FINAL);
    }

    int completionRecords() {
        return completions.values().stream().mapToInt(List::size).sum();
    }

    /** Waits until {@code state} stayed the same for {@code quiet} (so that a late duplicate would have shown). */
    static void settle(Supplier<Object> state, Duration quiet, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        Object before = state.get();
        while (System.nanoTime() < deadline) {
            Thread.sleep(quiet.toMillis());
            Object after = state.get();
            if (after.equals(before)) {
                return;
            }
            before = after;
        }
    }

    /** Waits for quiet: no new completion, callback attempt or info call for {@code quiet}. */
    void settle(Duration quiet) throws InterruptedException {
        settle(() -> List.of(completionRecords(), sim.stats(), http.infoCalls()), quiet, Duration.ofSeconds(30));
    }

    /**
     * Per task, how long after the service created it the submit route learned its id (the component records the
     * task just before): the service answers at once, so this is the time the answer waited inside the component.
     */
    Map<String, Long> answerToRouteMillis() {
        Map<String, Long> lags = new TreeMap<>();
        if (style == Style.WAITING) {
            return lags; // the route continues only when the task is final
        }
        simTasks().forEach((id, task) -> {
            Long resolved = resolvedAt.get(String.valueOf(orderOf(task)));
            if (resolved != null) {
                lags.put(id, resolved + startedAt - task.createTime());
            }
        });
        return lags;
    }

    /** A line per task: when it was created, finished at the service, completed here, and its info calls. */
    String timeline() {
        StringBuilder out = new StringBuilder();
        Map<String, Integer> info = http.infoCallsPerTask();
        simTasks().forEach((id, task) -> {
            List<Completion> list = completions.getOrDefault(id, List.of());
            out.append(String.format("%s %s created %5d answered %5d done %5d completed %s info %d%n", orderOf(task),
                    id, task.createTime() - startedAt, resolvedAt.getOrDefault(String.valueOf(orderOf(task)), -1L),
                    task.completeTime() == null ? -1 : task.completeTime() - startedAt,
                    list.stream().map(c -> String.valueOf(c.atMillis() - startedAt)).toList(), info.getOrDefault(id, 0)));
            out.append("    info at ").append(http.sent.stream().filter(e -> e.getKey().equals(id))
                    .map(e -> e.getValue() - startedAt).toList()).append('\n');
        });
        out.append("submit failures seen on threads ").append(failureThreads).append('\n');
        out.append("generate at ").append(http.sent.stream().filter(e -> e.getKey().equals("generate"))
                .map(e -> e.getValue() - startedAt).toList()).append('\n');
        out.append("generate answered at ").append(http.sent.stream()
                .filter(e -> e.getKey().equals("generate-answered")).map(e -> e.getValue() - startedAt).toList())
                .append('\n');
        return out.toString();
    }

    long elapsedMillis() {
        return System.currentTimeMillis() - startedAt;
    }

    // ---- what the simulator knows

    /** The simulator's tasks by id. */
    Map<String, TaskDetails> simTasks() {
        Map<String, TaskDetails> byId = new LinkedHashMap<>();
        sim.tasks().forEach(task -> byId.put(task.taskId(), task));
        return byId;
    }

    static JsonNode params(TaskDetails task) {
        try {
            return JSON.readTree(task.paramJson());
        } catch (Exception e) {
            throw new IllegalStateException("paramJson of " + task.taskId() + " is not JSON: " + task.paramJson(), e);
        }
    }

    /** The order a simulator task was created for, read from its prompt. */
    static String orderOf(TaskDetails task) {
        Matcher matcher = ORDER_IN_PROMPT.matcher(params(task).path("prompt").asText(""));
        return matcher.find() ? "order-" + matcher.group(1) : null;
    }

    /** The callback token the component sent with each simulator task (the last path segment of callBackUrl). */
    Map<String, String> sentTokens() {
        Map<String, String> tokens = new HashMap<>();
        sim.tasks().forEach(task -> {
            String url = params(task).path("callBackUrl").asText(null);
            if (url != null) {
                tokens.put(task.taskId(), url.substring(url.lastIndexOf('/') + 1));
            }
        });
        return tokens;
    }

    /** Scripted faults not consumed yet, per endpoint. */
    Map<ApiCall, Integer> unconsumedFaults() {
        Map<ApiCall, Integer> left = new EnumMap<>(ApiCall.class);
        sim.pendingScript().forEach((call, scenarios) -> left.put(call, scenarios.size()));
        return left;
    }

    /** {@code 20 x 500, 20 x 455, ...}: the storm in the simulator's words. */
    static String describe(List<Fault> storm) {
        return storm.stream().map(fault -> fault.times() + " x " + fault.scenario().marker())
                .collect(java.util.stream.Collectors.joining(", "));
    }

    static int scripted(List<Fault> storm) {
        return storm.stream().mapToInt(Fault::times).sum();
    }

    boolean isPending(String taskId) {
        return store.find(taskId).map(task -> task.state() == TaskState.PENDING).orElse(false);
    }

    String receiverPrefix() {
        return "http://localhost:" + receiverPort + "/gptimage/callback/";
    }

    /** Dead-lettered submits per exception class. */
    Map<String, Integer> deadSubmitsByException() {
        Map<String, Integer> counts = new TreeMap<>();
        deadSubmits.values().forEach(e -> counts.merge(e == null ? "null" : e.getClass().getSimpleName(), 1,
                Integer::sum));
        return counts;
    }

    Optional<Completion> onlyCompletion(String taskId) {
        List<Completion> list = completions.getOrDefault(taskId, List.of());
        return list.size() == 1 ? Optional.of(list.get(0)) : Optional.empty();
    }

    List<String> allOrders() {
        List<String> orders = new ArrayList<>();
        for (int n = 1; n <= ORDERS; n++) {
            orders.add(orderId(n));
        }
        return orders;
    }

    @Override
    public void close() {
        try {
            context.stop();
        } finally {
            sim.stop();
            http.close();
            if (front != null) {
                front.close();
            }
        }
    }
}
