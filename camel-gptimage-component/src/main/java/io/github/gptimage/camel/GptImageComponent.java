package io.github.gptimage.camel;

import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gptimage.camel.task.GptImageTaskService;
import io.github.gptimage.camel.task.GptImageTaskStore;
import io.github.gptimage.camel.task.InMemoryTaskStore;
import io.github.gptimage.camel.task.TaskMetrics;
import io.github.gptimage.camel.task.TaskServiceSettings;
import io.github.gptimage.camel.task.jdbc.JdbcTaskStore;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code gptimage} component. Holds the defaults of every endpoint and the store-wide settings, and creates
 * endpoints; everything that runs belongs to the {@link GptImageTaskService} of each task store. Each store has a name
 * (the default store's is {@code default}, a store bean's is its bean name) under which health checks, the dev console
 * and metrics report it.
 */
@Component("gptimage")
public class GptImageComponent extends HealthCheckComponent {

    private static final Logger LOG = LoggerFactory.getLogger(GptImageComponent.class);

    @Metadata(description = "The default options of every endpoint; an option set on an endpoint wins.")
    private GptImageConfiguration configuration = new GptImageConfiguration();

    @Metadata(label = "callback",
              description = "Store-wide. The public URL under which this application is reached, for example"
                            + " https://example.com. When set, generate sends a callback URL under it with an"
                            + " unguessable per-task token, and the component serves callbackPath through"
                            + " platform-http.")
    private String callbackBaseUrl;

    @Metadata(label = "callback", defaultValue = "/gptimage/callback",
              description = "Store-wide. The HTTP path under which callbacks are received.")
    private String callbackPath = "/gptimage/callback";

    @Metadata(label = "callback", defaultValue = "true",
              description = "Store-wide. Whether a callback is confirmed with one info call before the task is"
                            + " completed: the API signs nothing, so a callback is a hint.")
    private boolean verifyCallbacks = true;

    @Metadata(label = "callback", defaultValue = "65536",
              description = "Store-wide. The largest callback body accepted, in bytes; a larger one is answered 413.")
    private int callbackMaxBodySize = 65_536;

    @Metadata(label = "callback", defaultValue = "15000", javaType = "java.time.Duration",
              description = "Store-wide. How long the receiver waits for a callback's request, body included, before"
                            + " it answers 408 and closes the connection (the service itself gives a receiver 15 s to"
                            + " answer). Served through platform-http on Vert.x; another HTTP server bounds it with"
                            + " its own settings.")
    private long callbackReadTimeout = Duration.ofSeconds(15).toMillis();

    @Metadata(label = "advanced", defaultValue = "3600000", javaType = "java.time.Duration",
              description = "Store-wide. How long a final task that no waiting exchange took is kept for a tasks"
                            + " consumer (one started later emits it at once, without another info call); after that"
                            + " it is dropped with one WARN naming it.")
    private long finalRetention = Duration.ofHours(1).toMillis();

    @Metadata(label = "advanced", defaultValue = "100000",
              description = "Store-wide. The bound of the default in-memory task store: past it, generate fails"
                            + " before submitting with GptImageTaskStoreFullException. A taskStore of your own has"
                            + " its own bound.")
    private int maxPendingTasks = InMemoryTaskStore.DEFAULT_MAX_TASKS;

    @Metadata(label = "advanced", defaultValue = "120000", javaType = "java.time.Duration",
              description = "Store-wide. How long a claimed task stays with the node that claimed it (to poll it or to"
                            + " run its completion exchange) before another node may take it over: longer than an"
                            + " info call takes. While a completion exchange runs, its node renews the lease once half"
                            + " of it is left, so a slow route keeps its task; a node that dies leaves its leases to"
                            + " expire after this long.")
    private long leaseDuration = Duration.ofMinutes(2).toMillis();

    @Metadata(label = "advanced", defaultValue = "60000", javaType = "java.time.Duration",
              description = "Store-wide. After the service refused an account's key (401), how often one info call"
                            + " checks whether the key works again; its tasks stay pending meanwhile. Also how long"
                            + " an account's health check stays DOWN after a 402, 455 or 550 without another such"
                            + " answer: the next call is then the re-check.")
    private long authRecheckInterval = Duration.ofMinutes(1).toMillis();

    @Metadata(label = "advanced", defaultValue = "200",
              description = "Store-wide. The most connections to the API the component keeps open per pool.")
    private int maxConnections = 200;

    @Metadata(label = "advanced",
              description = "Store-wide. The thread pool that handles the API's answers and continues the routes of"
                            + " completions; by default Camel's thread pool profile 'gptimage' when defined, else a"
                            + " pool of 4 threads per core with an unbounded queue. A pool given here is not shut"
                            + " down by the component.")
    private ExecutorService executorService;

    @Metadata(label = "store",
              description = "Store-wide. A DataSource for a durable task store built by the component (PostgreSQL for"
                            + " several nodes, H2 in file mode for one): it becomes the default task store instead of"
                            + " the in-memory one. Tables are created when absent (createSchema); no secret is"
                            + " written to them.")
    private DataSource dataSource;

    @Metadata(label = "store", defaultValue = "true",
              description = "Store-wide. Whether the JDBC task store built on dataSource creates its tables when they"
                            + " are absent; false when a DBA creates them from the schema files in the jar.")
    private boolean createSchema = true;

    @Metadata(label = "store", defaultValue = JdbcTaskStore.DEFAULT_TABLE_PREFIX,
              description = "Store-wide. The prefix of the table and index names of the JDBC task store built on"
                            + " dataSource.")
    private String tablePrefix = JdbcTaskStore.DEFAULT_TABLE_PREFIX;

    @Metadata(label = "advanced",
              description = "Store-wide. The name of this node in task leases (a shared store tells the nodes apart"
                            + " by it); generated when absent.")
    private String nodeId;

    private final ObjectMapper objectMapper = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private final Map<GptImageTaskStore, GptImageTaskService> services = new IdentityHashMap<>();
    private final Map<String, GptImageTaskService> servicesByName = new LinkedHashMap<>();
    private GptImageTaskStore defaultTaskStore;
    private TaskMetrics metrics;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        GptImageOperation operation = operation(remaining);
        GptImageEndpoint endpoint = new GptImageEndpoint(uri, this, operation, configuration.copy());
        EndpointOptions.checkWrittenValues(parameters);
        setProperties(endpoint, parameters);
        GptImageConfiguration config = endpoint.getConfiguration();
        if (ObjectHelper.isEmpty(config.getApiKey())) {
            throw new IllegalArgumentException(
                    "The gptimage apiKey option is required: set it on the endpoint (apiKey=RAW(...)) or on the"
                                               + " component (camel.component.gptimage.api-key)");
        }
        EndpointOptions.checkRanges(config);
        if (config.getMaxConcurrentPolls() != configuration.getMaxConcurrentPolls()) {
            throw new IllegalArgumentException(
                    "maxConcurrentPolls is a store-wide setting: every endpoint of a task store polls within the"
                                               + " component's maxConcurrentPolls=" + configuration.getMaxConcurrentPolls()
                                               + ", so the endpoint's maxConcurrentPolls=" + config.getMaxConcurrentPolls()
                                               + " would be ignored; set it on the component"
                                               + " (camel.component.gptimage.max-concurrent-polls)");
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

    /**
     * The task service of {@code store} (the default in-memory store when null), created on first use and started and
     * stopped with the CamelContext.
     */
    synchronized GptImageTaskService taskService(GptImageTaskStore store) throws Exception {
        GptImageTaskStore effective = store != null ? store : defaultTaskStore();
        GptImageTaskService service = services.get(effective);
        if (service == null) {
            if (callbackBaseUrl != null && !services.isEmpty()) {
                throw new IllegalArgumentException(
                        "Callbacks serve one task store per gptimage component: give endpoints with another taskStore"
                                                   + " their own component instance");
            }
            service = new GptImageTaskService(getCamelContext(), effective, taskServiceSettings(), objectMapper);
            String name = storeName(effective);
            if (metrics == null) {
                metrics = GptImageMetrics.resolve(getCamelContext());
            }
            service.setMetrics(metrics);
            metrics.watchStore(name, effective::count);
            getCamelContext().addService(service, true, false);
            services.put(effective, service);
            servicesByName.put(name, service);
        }
        return service;
    }

    /** The task services of this component by store name, in the order they were created. */
    synchronized Map<String, GptImageTaskService> taskServices() {
        return new LinkedHashMap<>(servicesByName);
    }

    /** The name of a task service of this component, or null. */
    synchronized String storeName(GptImageTaskService service) {
        return servicesByName.entrySet().stream().filter(entry -> entry.getValue() == service)
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    /** The task services of every gptimage component of {@code context} by store name. */
    static Map<String, GptImageTaskService> taskServices(CamelContext context) {
        Map<String, GptImageTaskService> all = new LinkedHashMap<>();
        for (String name : context.getComponentNames()) {
            if (context.hasComponent(name) instanceof GptImageComponent component) {
                component.taskServices().forEach(all::putIfAbsent);
            }
        }
        return all;
    }

    /**
     * {@code default} for the component's default store, the bean name of a store bound in the registry, else
     * {@code store<n>}; prefixed with the component's name when it is not {@code gptimage}, unique per component.
     */
    private String storeName(GptImageTaskStore store) {
        String name = store == defaultTaskStore ? "default" : null;
        if (name == null) {
            name = getCamelContext().getRegistry().findByTypeWithName(GptImageTaskStore.class).entrySet().stream()
                    .filter(entry -> entry.getValue() == store).map(Map.Entry::getKey).findFirst()
                    .orElse("store" + (servicesByName.size() + 1));
        }
        String scheme = getCamelContext().getComponentNames().stream()
                .filter(candidate -> getCamelContext().hasComponent(candidate) == this).findFirst().orElse("gptimage");
        if (!"gptimage".equals(scheme)) {
            name = scheme + "-" + name;
        }
        String unique = name;
        for (int i = 2; servicesByName.containsKey(unique); i++) {
            unique = name + "-" + i;
        }
        return unique;
    }

    private GptImageTaskStore defaultTaskStore() {
        if (defaultTaskStore == null) {
            if (dataSource == null) {
                defaultTaskStore = new InMemoryTaskStore(maxPendingTasks);
            } else if (maxPendingTasks != InMemoryTaskStore.DEFAULT_MAX_TASKS) {
                throw new IllegalArgumentException("maxPendingTasks bounds the in-memory task store, but dataSource"
                                                   + " makes the JDBC store the default: remove one of them");
            } else {
                defaultTaskStore = JdbcTaskStore.builder(dataSource).tablePrefix(tablePrefix)
                        .createSchema(createSchema).build();
            }
        }
        return defaultTaskStore;
    }

    private TaskServiceSettings taskServiceSettings() {
        checkStoreWideOptions();
        if (nodeId == null) {
            nodeId = "node-" + UUID.randomUUID().toString().substring(0, 8);
        }
        TaskServiceSettings.CallbackSettings callbacks = callbackBaseUrl == null ? null
                : new TaskServiceSettings.CallbackSettings(callbackBaseUrl, callbackPath, verifyCallbacks,
                                                           callbackMaxBodySize, Duration.ofMillis(callbackReadTimeout));
        return new TaskServiceSettings(nodeId, configuration.getMaxConcurrentPolls(), Duration.ofMillis(finalRetention),
                                       Duration.ofMillis(leaseDuration), Duration.ofMillis(authRecheckInterval),
                                       maxConnections, executorService, callbacks);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        checkStoreWideOptions();
        warnIfHttpClientLogsHeaders();
        GptImageHealth.registerRepository(getCamelContext());
    }

    /**
     * Refuses store-wide options that would be accepted and then misbehave; each error names the option and the
     * value. A duration Camel cannot read ({@code abc}) reaches the component as 0, and is refused as such.
     */
    private void checkStoreWideOptions() {
        positive("finalRetention", finalRetention, true);
        positive("leaseDuration", leaseDuration, true);
        positive("authRecheckInterval", authRecheckInterval, true);
        positive("callbackReadTimeout", callbackReadTimeout, true);
        positive("maxPendingTasks", maxPendingTasks, false);
        positive("maxConnections", maxConnections, false);
        positive("callbackMaxBodySize", callbackMaxBodySize, false);
        if (configuration.getMaxConcurrentPolls() < 1) {
            throw componentOption("maxConcurrentPolls", configuration.getMaxConcurrentPolls(),
                    "must be at least 1: with no info call allowed in flight no task would ever be polled");
        }
        if (callbackBaseUrl != null && !EndpointOptions.isHttpUrl(callbackBaseUrl)) {
            throw componentOption("callbackBaseUrl", "'" + callbackBaseUrl + "'",
                    "is not an absolute http(s) URL, for example https://images.example.com");
        }
        if (callbackBaseUrl != null && (callbackPath == null || callbackPath.isBlank())) {
            throw componentOption("callbackPath", "''", "must not be empty, for example /gptimage/callback");
        }
    }

    private static void positive(String option, long value, boolean duration) {
        if (value <= 0) {
            throw componentOption(option, value, "must be positive"
                                                 + (duration ? " (a duration, here in milliseconds)"
                                                               + EndpointOptions.zeroHint(value) : ""));
        }
    }

    private static IllegalArgumentException componentOption(String option, Object value, String problem) {
        return new IllegalArgumentException("Invalid gptimage component option " + option + "=" + value + ": " + problem
                                            + " (camel.component.gptimage." + dashed(option) + ")");
    }

    private static String dashed(String option) {
        return option.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
    }

    /** Apache HttpClient's header and wire logs print every request header: the API key too. */
    static final List<String> KEY_PRINTING_LOGGERS = List.of("org.apache.hc.client5.http.headers",
            "org.apache.hc.client5.http.wire");

    private static void warnIfHttpClientLogsHeaders() {
        for (String name : KEY_PRINTING_LOGGERS) {
            if (LoggerFactory.getLogger(name).isDebugEnabled()) {
                LOG.warn("Logger {} is at DEBUG: Apache HttpClient prints every request header there, the GPT image"
                         + " API key (x-api-key) included. Raise it to INFO outside of a debugging session", name);
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        synchronized (this) {
            services.values().forEach(ServiceHelper::stopService);
            if (metrics != null) {
                servicesByName.keySet().forEach(metrics::unwatchStore);
            }
        }
        super.doStop();
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

    public long getCallbackReadTimeout() {
        return callbackReadTimeout;
    }

    public void setCallbackReadTimeout(long callbackReadTimeout) {
        this.callbackReadTimeout = callbackReadTimeout;
    }

    public long getFinalRetention() {
        return finalRetention;
    }

    public void setFinalRetention(long finalRetention) {
        this.finalRetention = finalRetention;
    }

    public int getMaxPendingTasks() {
        return maxPendingTasks;
    }

    public void setMaxPendingTasks(int maxPendingTasks) {
        this.maxPendingTasks = maxPendingTasks;
    }

    public long getLeaseDuration() {
        return leaseDuration;
    }

    public void setLeaseDuration(long leaseDuration) {
        this.leaseDuration = leaseDuration;
    }

    public long getAuthRecheckInterval() {
        return authRecheckInterval;
    }

    public void setAuthRecheckInterval(long authRecheckInterval) {
        this.authRecheckInterval = authRecheckInterval;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public ExecutorService getExecutorService() {
        return executorService;
    }

    public void setExecutorService(ExecutorService executorService) {
        this.executorService = executorService;
    }

    public DataSource getDataSource() {
        return dataSource;
    }

    public void setDataSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public boolean isCreateSchema() {
        return createSchema;
    }

    public void setCreateSchema(boolean createSchema) {
        this.createSchema = createSchema;
    }

    public String getTablePrefix() {
        return tablePrefix;
    }

    public void setTablePrefix(String tablePrefix) {
        this.tablePrefix = tablePrefix;
    }

    public String getNodeId() {
        return nodeId;
    }

    public void setNodeId(String nodeId) {
        this.nodeId = nodeId;
    }
}
