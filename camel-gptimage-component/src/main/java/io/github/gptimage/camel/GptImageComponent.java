package io.github.gptimage.camel;

import io.github.gptimage.camel.error.GptImageException;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gptimage.camel.api.GptImageClient;
import io.github.gptimage.camel.api.HttpGptImageClient;
import io.github.gptimage.camel.task.CallbackHandler;
import io.github.gptimage.camel.task.GptImageTaskStore;
import io.github.gptimage.camel.task.InMemoryTaskStore;
import io.github.gptimage.camel.task.TaskTracker;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.util.ObjectHelper;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code gptimage} component. Holds the defaults of every endpoint and the services they share: the HTTP client
 * pool, the JSON mapper and the pool that completes asynchronous answers.
 */
@Component("gptimage")
public class GptImageComponent extends DefaultComponent {

    /** Threads that run the route after an answer arrives; answers queue rather than spawn threads. */
    private static final int COMPLETION_THREADS = 4;
    private static final int MAX_CONNECTIONS = 200;
    private static final Duration WAITER_TICK = Duration.ofMillis(100);
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(GptImageComponent.class);

    @Metadata(description = "The default options of every endpoint; an option set on an endpoint wins.")
    private GptImageConfiguration configuration = new GptImageConfiguration();

    @Metadata(label = "callback",
              description = "The public URL under which this application is reached, for example https://example.com."
                            + " When set, generate sends a callback URL under it with an unguessable per-task token,"
                            + " and the component serves callbackPath through platform-http.")
    private String callbackBaseUrl;

    @Metadata(label = "callback", defaultValue = "/gptimage/callback",
              description = "The HTTP path under which callbacks are received.")
    private String callbackPath = "/gptimage/callback";

    @Metadata(label = "callback", defaultValue = "true",
              description = "Whether a callback is confirmed with one info call before the task is completed: the API"
                            + " signs nothing, so a callback is a hint.")
    private boolean verifyCallbacks = true;

    @Metadata(label = "callback", defaultValue = "65536",
              description = "The largest callback body accepted, in bytes; a larger one is answered 413.")
    private int callbackMaxBodySize = 65_536;

    private final ObjectMapper objectMapper = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private final Map<Long, CloseableHttpAsyncClient> ownHttpClients = new ConcurrentHashMap<>();
    private final GptImageTaskStore defaultTaskStore = new InMemoryTaskStore();
    private final Map<GptImageTaskStore, TrackedStore> trackedStores = new IdentityHashMap<>();
    private ExecutorService completionExecutor;
    private ScheduledExecutorService scheduler;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        GptImageOperation operation = operation(remaining);
        GptImageEndpoint endpoint = new GptImageEndpoint(uri, this, operation, configuration.copy());
        setProperties(endpoint, parameters);
        if (ObjectHelper.isEmpty(endpoint.getConfiguration().getApiKey())) {
            throw new IllegalArgumentException(
                    "The gptimage apiKey option is required: set it on the endpoint (apiKey=RAW(...)) or on the"
                                               + " component (camel.component.gptimage.api-key)");
        }
        return endpoint;
    }

    private static GptImageOperation operation(String remaining) {
        try {
            return GptImageOperation.valueOf(remaining);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(
                    "Unknown gptimage operation '" + remaining + "': use gptimage:generate, gptimage:info or gptimage:tasks");
        }
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        ThreadPoolProfile profile = new ThreadPoolProfile("GptImageCompletion");
        profile.setPoolSize(COMPLETION_THREADS);
        profile.setMaxPoolSize(COMPLETION_THREADS);
        // Camel reads a queue size <= 0 as "no queue" (direct hand-over, then CallerRuns on the HTTP I/O thread)
        profile.setMaxQueueSize(Integer.MAX_VALUE);
        completionExecutor = getCamelContext().getExecutorServiceManager().newThreadPool(this, "GptImage", profile);
        // one timeout per waiting exchange is scheduled here: the default profile's 1000-task queue limit would
        // reject the timeouts of further waits
        ThreadPoolProfile schedulerProfile = new ThreadPoolProfile("GptImageScheduler");
        schedulerProfile.setPoolSize(1);
        schedulerProfile.setMaxPoolSize(1);
        schedulerProfile.setMaxQueueSize(-1);
        scheduler = getCamelContext().getExecutorServiceManager().newScheduledThreadPool(this, "GptImageScheduler",
                schedulerProfile);
        scheduler.scheduleWithFixedDelay(this::pollForWaiters, WAITER_TICK.toMillis(), WAITER_TICK.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Polls the due tasks of stores with waiting exchanges, so that a waiting producer completes without a
     * {@code tasks} consumer. Claiming leases a task, so this and a consumer never poll one task twice.
     */
    private void pollForWaiters() {
        for (TrackedStore tracked : trackedStores()) {
            if (tracked.tracker().waiting() > 0) {
                try {
                    tracked.tracker().pollDue(tracked.maxConcurrentPolls());
                } catch (GptImageException e) {
                    // the tracker logged the refused key once; waiting exchanges time out
                } catch (RuntimeException e) {
                    LOG.warn("Polling GPT image tasks for waiting exchanges failed: {}", e.getMessage(), e);
                }
            }
        }
    }

    private synchronized List<TrackedStore> trackedStores() {
        return List.copyOf(trackedStores.values());
    }

    /**
     * The tracker of the endpoint's task store, created on first use with the endpoint's client: one API account per
     * store, since every task in it is polled with the same key.
     */
    synchronized TaskTracker tracker(GptImageEndpoint endpoint) throws Exception {
        GptImageConfiguration config = endpoint.getConfiguration();
        GptImageTaskStore store = config.getTaskStore() != null ? config.getTaskStore() : defaultTaskStore;
        TrackedStore tracked = trackedStores.get(store);
        if (tracked == null) {
            TaskTracker tracker = new TaskTracker(store, endpoint.getClient(), scheduler, completionExecutor,
                    Duration.ofMillis(config.getRequestTimeout()).plus(LEASE_MARGIN), config.getMaxConcurrentPolls());
            GptImageCallbackReceiver receiver = null;
            if (callbackBaseUrl != null) {
                if (trackedStores.values().stream().anyMatch(other -> other.receiver() != null)) {
                    throw new IllegalArgumentException(
                            "Callbacks serve one task store per gptimage component: give endpoints with another"
                                                       + " taskStore their own component instance");
                }
                receiver = new GptImageCallbackReceiver(getCamelContext(), callbackPath, callbackMaxBodySize,
                        new CallbackHandler(tracker, objectMapper, verifyCallbacks));
                ServiceHelper.startService(receiver);
            }
            tracked = new TrackedStore(tracker, config.getBaseUrl(), config.getApiKey(), config.getMaxConcurrentPolls(),
                                       receiver);
            trackedStores.put(store, tracked);
        } else if (!tracked.sameAccount(config)) {
            throw new IllegalArgumentException(
                    "gptimage endpoints that share a task store must share apiKey and baseUrl, since its tasks are"
                                               + " polled with one key: give the other account its own taskStore or"
                                               + " its own component instance");
        }
        return tracked.tracker();
    }

    /** A store in use, with the tracker and callback receiver serving it. */
    private record TrackedStore(TaskTracker tracker, String baseUrl, String apiKey, int maxConcurrentPolls,
                                GptImageCallbackReceiver receiver) {
        boolean sameAccount(GptImageConfiguration config) {
            return baseUrl.equals(config.getBaseUrl()) && apiKey.equals(config.getApiKey());
        }

        @Override
        public String toString() {
            return "TrackedStore[" + baseUrl + "]";
        }
    }

    @Override
    protected void doStop() throws Exception {
        synchronized (this) {
            trackedStores.values().forEach(tracked -> ServiceHelper.stopService(tracked.receiver()));
            trackedStores.clear();
        }
        if (scheduler != null) {
            getCamelContext().getExecutorServiceManager().shutdown(scheduler);
            scheduler = null;
        }
        ownHttpClients.values().forEach(client -> client.close(CloseMode.GRACEFUL));
        ownHttpClients.clear();
        if (completionExecutor != null) {
            getCamelContext().getExecutorServiceManager().shutdown(completionExecutor);
            completionExecutor = null;
        }
        super.doStop();
    }

    /** A client of the API for an endpoint's configuration, on the shared HTTP client pool. */
    GptImageClient createClient(GptImageConfiguration config) {
        return new HttpGptImageClient(httpClient(config), config.getBaseUrl(), config.getApiKey(),
                Duration.ofMillis(config.getRequestTimeout()), objectMapper, completionExecutor);
    }

    private CloseableHttpAsyncClient httpClient(GptImageConfiguration config) {
        CloseableHttpAsyncClient given = config.getHttpClient();
        if (given != null) {
            given.start();
            return given;
        }
        return ownHttpClients.computeIfAbsent(config.getConnectTimeout(), this::buildHttpClient);
    }

    /**
     * A pooled client that validates connections idle for over a second before reuse and never retries on its own:
     * a repeated generate is paid twice, so retries belong to the route's redelivery policy.
     */
    private CloseableHttpAsyncClient buildHttpClient(long connectTimeoutMillis) {
        CloseableHttpAsyncClient client = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofMilliseconds(connectTimeoutMillis))
                                .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                                .build())
                        .setMaxConnTotal(MAX_CONNECTIONS)
                        .setMaxConnPerRoute(MAX_CONNECTIONS)
                        .build())
                .setIOReactorConfig(IOReactorConfig.custom()
                        .setIoThreadCount(Math.max(1, Runtime.getRuntime().availableProcessors()))
                        .build())
                .setThreadFactory(runnable -> getCamelContext().getExecutorServiceManager()
                        .newThread("GptImageHttpIO", runnable))
                .disableAutomaticRetries()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();
        client.start();
        return client;
    }

    ObjectMapper getObjectMapper() {
        return objectMapper;
    }

    public GptImageConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(GptImageConfiguration configuration) {
        this.configuration = configuration;
    }

    public String getCallbackBaseUrl() {
        return callbackBaseUrl;
    }

    public void setCallbackBaseUrl(String callbackBaseUrl) {
        this.callbackBaseUrl = callbackBaseUrl;
    }

    public String getCallbackPath() {
        return callbackPath;
    }

    public void setCallbackPath(String callbackPath) {
        this.callbackPath = callbackPath;
    }

    public boolean isVerifyCallbacks() {
        return verifyCallbacks;
    }

    public void setVerifyCallbacks(boolean verifyCallbacks) {
        this.verifyCallbacks = verifyCallbacks;
    }

    public int getCallbackMaxBodySize() {
        return callbackMaxBodySize;
    }

    public void setCallbackMaxBodySize(int callbackMaxBodySize) {
        this.callbackMaxBodySize = callbackMaxBodySize;
    }
}
