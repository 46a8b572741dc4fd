package io.github.gptimage.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/**
 * A stateful local simulator of the GPT-4o image API (generate and task details), running on an
 * embedded WireMock server.
 *
 * <pre>{@code
 * try (GptImageSimulator sim = GptImageSimulator.builder().completionTime(Duration.ofMillis(500)).build().start()) {
 *     String baseUrl = sim.baseUrl(); // http://localhost:PORT, POST baseUrl + "/paid/gpt4o-image/generate"
 * }
 * }</pre>
 */
public final class GptImageSimulator implements AutoCloseable {

    public static final String DEFAULT_API_KEY = "sim-key";
    public static final String API_KEY_HEADER = "x-api-key";
    public static final String GENERATE_PATH = "/paid/gpt4o-image/generate";
    public static final String INFO_PATH = "/paid/gpt4o-image/info";
    /** The service retries a failed callback after 1, 5 and 15 minutes (wholesale documentation). */
    public static final List<Duration> DEFAULT_CALLBACK_RETRY_DELAYS =
            List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15));
    /** The service gives a callback receiver about 15 s to answer. */
    public static final Duration DEFAULT_CALLBACK_TIMEOUT = Duration.ofSeconds(15);

    private final SimulatorState state;
    private final WireMockServer server;
    private volatile boolean stopped;

    private GptImageSimulator(SimulatorSettings settings) {
        TaskStore tasks = new TaskStore();
        CallCounters counters = new CallCounters();
        this.state = new SimulatorState(tasks, new ScenarioScript(), counters,
                new InfoRateLimiter(settings.infoCallsPerSecond()), new ResultFiles(this::baseUrl, tasks),
                new CallbackDispatcher(counters, settings.scaledCallbackRetryDelays(), settings.callbackTimeout()));
        ApiResponses responses = new ApiResponses(settings);
        this.server = new WireMockServer(WireMockConfiguration.options()
                .port(settings.port())
                .notifier(new ConsoleNotifier(false))
                .disableRequestJournal()
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(4)
                .extensions(
                        new GenerateEndpoint(settings, responses, state),
                        new InfoEndpoint(settings, responses, state),
                        new ResultFileEndpoint(responses, state),
                        new AdminEndpoint(this, responses)));
        registerStubs(responses);
    }

    private void registerStubs(ApiResponses responses) {
        server.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(transformedBy(GenerateEndpoint.NAME)));
        server.stubFor(post(urlPathEqualTo(INFO_PATH)).willReturn(transformedBy(InfoEndpoint.NAME)));
        server.stubFor(get(urlPathMatching(ResultFiles.PATH_PREFIX + "[^/]+")).willReturn(
                transformedBy(ResultFileEndpoint.NAME)));
        server.stubFor(any(urlPathMatching(AdminEndpoint.PATH_PREFIX + "[a-z]+")).willReturn(
                transformedBy(AdminEndpoint.NAME)));
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(ResponseDefinitionBuilder.like(responses.notFound())));
    }

    private static ResponseDefinitionBuilder transformedBy(String endpoint) {
        return aResponse().withTransformers(endpoint);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts listening; answers this simulator for chaining. A stopped simulator cannot start again. */
    public GptImageSimulator start() {
        if (stopped) {
            throw new IllegalStateException("This simulator was stopped; build a new one");
        }
        server.start();
        return this;
    }

    /** Stops the server and the callback scheduler; pending callbacks are dropped. */
    public void stop() {
        stopped = true;
        state.callbacks().close();
        if (server.isRunning()) {
            server.stop();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /** The port the simulator listens on (the chosen one when configured with port 0). */
    public int port() {
        return server.port();
    }

    /** {@code http://localhost:PORT}: the base URL for clients; result URLs are built on it too. */
    public String baseUrl() {
        return "http://localhost:" + port();
    }

    public String generateUrl() {
        return baseUrl() + GENERATE_PATH;
    }

    public String infoUrl(String taskId) {
        return baseUrl() + INFO_PATH + "?taskId=" + taskId;
    }

    public SimulatorStats stats() {
        return state.counters().snapshot();
    }

    /** All tasks, oldest first, as the task-details endpoint would report them now. */
    public List<TaskDetails> tasks() {
        long now = System.currentTimeMillis();
        return state.tasks().all().stream().map(task -> task.detailsAt(now, state.files().urlsOf(task))).toList();
    }

    public Optional<TaskDetails> task(String taskId) {
        long now = System.currentTimeMillis();
        return state.tasks().find(taskId).map(task -> task.detailsAt(now, state.files().urlsOf(task)));
    }

    /**
     * Makes the next {@code times} calls of an endpoint follow a scenario, e.g. fail the first two
     * generate calls with 455: {@code script(ApiCall.GENERATE, Scenario.MAINTENANCE, 2)}. Scripts
     * queue up in order; markers in the prompt still apply besides.
     */
    public void script(ApiCall call, Scenario scenario, int times) {
        state.script().enqueue(call, scenario, times);
    }

    /** The scripted scenarios not yet consumed, per endpoint. */
    public Map<ApiCall, List<Scenario>> pendingScript() {
        return state.script().pending();
    }

    /** Forgets tasks, pending callbacks and their retries, scripts, rate-limit windows and counters. */
    public void reset() {
        state.reset();
    }

    /** The options of a simulator; every one has a default that suits a local run. */
    public static final class Builder {

        private int port;
        private Duration completionTime = Duration.ofSeconds(3);
        private Set<String> apiKeys = Set.of(DEFAULT_API_KEY);
        private boolean acceptAnyApiKey;
        private boolean httpStatusErrors;
        private Duration slowResponseDelay = Duration.ofSeconds(20);
        private int retryAfterSeconds = 2;
        private int infoCallsPerSecond = 3;
        private boolean duplicateCallbacks;
        private boolean lateCallbacks;
        private Duration lateCallbackDelay = Duration.ofSeconds(5);
        private List<Duration> callbackRetryDelays = DEFAULT_CALLBACK_RETRY_DELAYS;
        private double callbackRetryScale = 1.0;
        private Duration callbackTimeout = DEFAULT_CALLBACK_TIMEOUT;

        private Builder() {
        }

        /** The port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** How long a task stays GENERATING before it finishes (default 3 s). */
        public Builder completionTime(Duration completionTime) {
            this.completionTime = requirePositive(completionTime, "completionTime");
            return this;
        }

        /** The one accepted key (default {@value GptImageSimulator#DEFAULT_API_KEY}). */
        public Builder apiKey(String apiKey) {
            return apiKeys(apiKey);
        }

        /** The accepted keys, replacing the default. */
        public Builder apiKeys(String... apiKeys) {
            this.apiKeys = Set.of(apiKeys);
            return this;
        }

        /** Accept any non-blank key instead of the configured ones (default false). */
        public Builder acceptAnyApiKey(boolean acceptAnyApiKey) {
            this.acceptAnyApiKey = acceptAnyApiKey;
            return this;
        }

        /**
         * Send errors with their real HTTP status (default false: HTTP 200 with the error in the
         * envelope code, as the service does).
         */
        public Builder httpStatusErrors(boolean httpStatusErrors) {
            this.httpStatusErrors = httpStatusErrors;
            return this;
        }

        /** The delay of the {@code [slow]} scenario (default 20 s, more than a usual client timeout). */
        public Builder slowResponseDelay(Duration slowResponseDelay) {
            this.slowResponseDelay = requirePositive(slowResponseDelay, "slowResponseDelay");
            return this;
        }

        /** The Retry-After seconds of the {@code [429]} scenario (default 2). */
        public Builder retryAfterSeconds(int retryAfterSeconds) {
            this.retryAfterSeconds = retryAfterSeconds;
            return this;
        }

        /** The task-details calls allowed per task in any one second (default 3, as documented). */
        public Builder infoCallsPerSecond(int infoCallsPerSecond) {
            this.infoCallsPerSecond = infoCallsPerSecond;
            return this;
        }

        /** Deliver every callback twice (default false; per task: {@code [duplicate-callback]}). */
        public Builder duplicateCallbacks(boolean duplicateCallbacks) {
            this.duplicateCallbacks = duplicateCallbacks;
            return this;
        }

        /** Deliver every callback late (default false; per task: {@code [late-callback]}). */
        public Builder lateCallbacks(boolean lateCallbacks) {
            this.lateCallbacks = lateCallbacks;
            return this;
        }

        /** How much later than the completion a late callback arrives (default 5 s). */
        public Builder lateCallbackDelay(Duration lateCallbackDelay) {
            this.lateCallbackDelay = requirePositive(lateCallbackDelay, "lateCallbackDelay");
            return this;
        }

        /**
         * The delays before the retries of a failed callback attempt, each counted from the failure
         * of the attempt before (default 1, 5 and 15 minutes, as the service; empty: no retries).
         * An attempt fails when the receiver answers other than 2xx, does not answer within
         * {@link #callbackTimeout(Duration)} or cannot be connected.
         */
        public Builder callbackRetryDelays(List<Duration> callbackRetryDelays) {
            List<Duration> delays = List.copyOf(Objects.requireNonNull(callbackRetryDelays, "callbackRetryDelays"));
            delays.forEach(delay -> {
                if (delay.isNegative()) {
                    throw new IllegalArgumentException("callbackRetryDelays must not be negative");
                }
            });
            this.callbackRetryDelays = delays;
            return this;
        }

        /** Same as {@link #callbackRetryDelays(List)}. */
        public Builder callbackRetryDelays(Duration... callbackRetryDelays) {
            return callbackRetryDelays(List.of(callbackRetryDelays));
        }

        /**
         * Multiplies the callback retry delays, for tests (default 1; e.g. 0.001 turns 1, 5 and 15
         * minutes into 60, 300 and 900 ms). At least 0.
         */
        public Builder callbackRetryScale(double callbackRetryScale) {
            if (!(callbackRetryScale >= 0) || Double.isInfinite(callbackRetryScale)) {
                throw new IllegalArgumentException("callbackRetryScale must be a finite number of at least 0");
            }
            this.callbackRetryScale = callbackRetryScale;
            return this;
        }

        /** How long a callback receiver has to answer before the attempt counts as failed (default 15 s). */
        public Builder callbackTimeout(Duration callbackTimeout) {
            this.callbackTimeout = requirePositive(callbackTimeout, "callbackTimeout");
            return this;
        }

        public GptImageSimulator build() {
            return new GptImageSimulator(settings());
        }

        SimulatorSettings settings() {
            return new SimulatorSettings(port, completionTime, apiKeys, acceptAnyApiKey, httpStatusErrors,
                    slowResponseDelay, retryAfterSeconds, infoCallsPerSecond, duplicateCallbacks, lateCallbacks,
                    lateCallbackDelay, callbackRetryDelays, callbackRetryScale, callbackTimeout);
        }

        private static Duration requirePositive(Duration duration, String name) {
            if (Objects.requireNonNull(duration, name).isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return duration;
        }
    }
}
