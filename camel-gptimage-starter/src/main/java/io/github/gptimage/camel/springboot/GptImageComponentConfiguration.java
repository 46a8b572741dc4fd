package io.github.gptimage.camel.springboot;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.spring.boot.ComponentConfigurationPropertiesCommon;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The options of the gptimage component as Spring Boot properties, camel.component.gptimage.*: set
 * on the component, an endpoint option is the default of every endpoint. Durations take Spring Boot's
 * forms (500ms, 10s, 5m; a plain number is milliseconds); an option whose value is a bean takes a
 * reference to it, #beanName.
 * <p>
 * Generated from the component's metadata (gptimage.json) by GptImageStarterSourcesTest: do not edit.
 */
@ConfigurationProperties(prefix = "camel.component.gptimage")
public class GptImageComponentConfiguration extends ComponentConfigurationPropertiesCommon {

    /**
     * Which task store the starter gives the component: memory (the component's in-memory store,
     * the default), or jdbc (the durable JDBC store on the application's DataSource bean, unless
     * data-source names another one).
     */
    private GptImageStoreKind store;

    /**
     * The default options of every endpoint; an option set on an endpoint wins. The value is a reference to a bean of
     * type io.github.gptimage.camel.GptImageConfiguration: #beanName.
     */
    private String configuration;

    /**
     * The base URL of the API: point it at the simulator, a proxy or another provider.
     */
    private String baseUrl;

    /**
     * Whether the images are downloaded before the completion is emitted: the body is then a byte array for one image,
     * a list of byte arrays for several.
     */
    private Boolean download;

    /**
     * The largest image download accepted, in bytes; a larger one fails the task with GptImageDownloadException.
     */
    private Long downloadMaxSize;

    /**
     * Store-wide: how many info calls may be in flight at once for the endpoint's task store. Set it on the component;
     * an endpoint that sets another value fails at creation.
     */
    private Integer maxConcurrentPolls;

    /**
     * How long after submitting a task it is first polled (at least 334 ms: the API allows 3 info calls a second per
     * task). The schedule of a task is the one of the generate endpoint that submitted it.
     */
    private Duration pollInitialDelay;

    /**
     * The longest interval between two polls of one task; intervals grow from pollInitialDelay up to it.
     */
    private Duration pollMaxInterval;

    /**
     * Allows for bridging the consumer to the Camel routing Error Handler, which mean any exceptions (if possible)
     * occurred while the Camel consumer is trying to pickup incoming messages, or the likes, will now be processed as a
     * message and handled by the routing Error Handler. Important: This is only possible if the 3rd party component
     * allows Camel to be alerted if an exception was thrown. Some components handle this internally only, and therefore
     * bridgeErrorHandler is not possible. In other situations we may improve the Camel component to hook into the 3rd
     * party component and make this possible for future releases. By default the consumer will use the
     * org.apache.camel.spi.ExceptionHandler to deal with exceptions, that will be logged at WARN or ERROR level and
     * ignored.
     */
    private Boolean bridgeErrorHandler;

    /**
     * The URL the service posts the completion to (sent as callBackUrl).
     */
    private String callbackUrl;

    /**
     * Comma-separated names of headers (for example CamelFileName,orderId) whose values at submit time are set again on
     * the task's completion exchange.
     */
    private String correlationHeaders;

    /**
     * Account-wide: the most credits the account's generates may spend per creditBudgetPeriod (0: no budget). A
     * generate that would exceed it fails before anything is sent with the final GptImageBudgetExceededException;
     * refused and invalid submits cost nothing, one whose answer was lost counts as spent. Kept in the task store:
     * shared by every node of a JDBC store. Set on the component for every account, or alike on every generate endpoint
     * of an account: one that sets another value fails at start.
     */
    private Long creditBudget;

    /**
     * Account-wide: the period of the creditBudget, in fixed windows counted from the epoch in UTC (1d: from midnight
     * UTC to midnight UTC; 1h: from each full hour). At least 1s.
     */
    private Duration creditBudgetPeriod;

    /**
     * The credits one image costs (10 on the provider's price list): a generate is expected to cost creditsPerImage x
     * nVariants, set as the CamelGptImageCredits header on the exchange and on the task's completion, and charged to
     * the account's creditBudget.
     */
    private Integer creditsPerImage;

    /**
     * Whether the service may fall back to a backup model when GPT-4o image is unavailable.
     */
    private Boolean enableFallback;

    /**
     * Whether the service enhances the prompt (sent as isEnhance).
     */
    private Boolean enhance;

    /**
     * The backup model used with enableFallback: GPT_IMAGE_1 or FLUX_MAX (the service's default).
     */
    private String fallbackModel;

    /**
     * Up to 5 public URLs of source images to edit or build upon, comma-separated.
     */
    private String filesUrl;

    /**
     * A Camel simple expression (for example ${header.CamelFileName}-${file:modified}) whose value identifies a submit
     * within its account: a generate whose key is already known sends nothing and gets the existing task. The header
     * CamelGptImageIdempotencyKey wins. Needs trackCompletion.
     */
    private String idempotencyKey;

    /**
     * Whether the producer should be started lazy (on the first message). By starting lazy you can use this to allow
     * CamelContext and routes to startup in situations where a producer may otherwise fail during starting and cause
     * the route to fail being started. By deferring this startup to be lazy then the startup failure can be handled
     * during routing messages via Camel's routing error handlers. Beware that when the first message is processed then
     * creating and starting the producer may take a little time and prolong the total processing time of the
     * processing.
     */
    private Boolean lazyStartProducer;

    /**
     * The URL of a mask image (black = edit, white = keep), same dimensions as the source image.
     */
    private String maskUrl;

    /**
     * Account-wide, per node: the most generates the account sends a second, evenly spaced (0: no limit; the wholesale
     * service takes 20 new tasks per 10 s, i.e. 2). Submits beyond it wait, holding no thread, instead of being refused
     * with a 429. With several nodes, give each its share.
     */
    private Double maxSubmitsPerSecond;

    /**
     * How many variants to generate: 1, 2 or 4 (each one is paid).
     */
    private Integer nVariants;

    /**
     * The text prompt; a String body or the CamelGptImagePrompt header wins.
     */
    private String prompt;

    /**
     * Whether a submit whose idempotency key belongs to a submit in doubt (its answer was lost after the request was
     * sent, so the task may exist and be paid) is sent again; by default it fails with GptImageSubmitInDoubtException.
     */
    private Boolean resubmitInDoubt;

    /**
     * The aspect ratio of the image: 1:1 (1024x1024), 3:2 (1536x1024) or 2:3 (1024x1536).
     */
    private String size;

    /**
     * How long a waiting generate waits before failing with GptImageTimeoutException; the task stays pending for the
     * tasks consumer.
     */
    private Duration timeout;

    /**
     * Whether generate records the task so that its completion is delivered (to a waiting exchange or the tasks
     * consumer).
     */
    private Boolean trackCompletion;

    /**
     * Whether results are uploaded through servers in China.
     */
    private Boolean uploadCn;

    /**
     * Whether generate waits, without holding a thread, until the task is final and then continues the route with the
     * completion's body and headers.
     */
    private Boolean waitForCompletion;

    /**
     * Store-wide. After the service refused an account's key (401), how often one info call checks whether the key
     * works again; its tasks stay pending meanwhile. Also how long an account's health check stays DOWN after a 402,
     * 455 or 550 without another such answer: the next call is then the re-check.
     */
    private Duration authRecheckInterval;

    /**
     * Whether autowiring is enabled. This is used for automatic autowiring options (the option must be marked as
     * autowired) by looking up in the registry to find if there is a single instance of matching type, which then gets
     * configured on the component. This can be used for automatic configuring JDBC data sources, JMS connection
     * factories, AWS Clients, etc.
     */
    private Boolean autowiredEnabled;

    /**
     * How long to wait for a connection to the API.
     */
    private Duration connectTimeout;

    /**
     * Store-wide. The thread pool that handles the API's answers and continues the routes of completions; by default
     * Camel's thread pool profile 'gptimage' when defined, else a pool of 4 threads per core with an unbounded queue. A
     * pool given here is not shut down by the component. The value is a reference to a bean of type
     * java.util.concurrent.ExecutorService: #beanName.
     */
    private String executorService;

    /**
     * Store-wide. How long a final task that no waiting exchange took is kept for a tasks consumer (one started later
     * emits it at once, without another info call); after that it is dropped with one WARN naming it.
     */
    private Duration finalRetention;

    /**
     * The Apache HttpClient 5 async client to call the API with (proxy, TLS, pool); the component builds a pooled one
     * when absent. A client given here is started but never closed by the component. The value is a reference to a bean
     * of type org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient: #beanName.
     */
    private String httpClient;

    /**
     * Store-wide. How long a claimed task stays with the node that claimed it (to poll it or to run its completion
     * exchange) before another node may take it over: longer than an info call takes. While a completion exchange runs,
     * its node renews the lease once half of it is left, so a slow route keeps its task; a node that dies leaves its
     * leases to expire after this long.
     */
    private Duration leaseDuration;

    /**
     * Store-wide. The most connections to the API the component keeps open per pool.
     */
    private Integer maxConnections;

    /**
     * Store-wide. The bound of the default in-memory task store: past it, generate fails before submitting with
     * GptImageTaskStoreFullException. A taskStore of your own has its own bound.
     */
    private Integer maxPendingTasks;

    /**
     * Store-wide. The name of this node in task leases (a shared store tells the nodes apart by it); generated when
     * absent.
     */
    private String nodeId;

    /**
     * How long an info call or an image download waits for its answer once the request is sent (and for a pooled
     * connection). These calls are free: one that times out is a retryable GptImageTransportException, and polls try
     * again. generate waits submitTimeout instead.
     */
    private Duration requestTimeout;

    /**
     * How long a generate call waits for the service's answer once the request is sent (and for a pooled connection).
     * Long on purpose: the service may create and charge the task before it answers, and the answer carries the only
     * handle on it, so a generate that gives up fails with the final GptImageSubmitInDoubtException (the task may be
     * paid and never seen) instead of a retryable error. Waiting costs one connection and no thread.
     */
    private Duration submitTimeout;

    /**
     * The store of pending tasks (default: in memory). A store shared by several nodes (SQL) lets them share polling
     * and completion. The value is a reference to a bean of type io.github.gptimage.camel.task.GptImageTaskStore:
     * #beanName.
     */
    private String taskStore;

    /**
     * Store-wide. The public URL under which this application is reached, for example https://example.com. When set,
     * generate sends a callback URL under it with an unguessable per-task token, and the component serves callbackPath
     * through platform-http.
     */
    private String callbackBaseUrl;

    /**
     * Store-wide. The largest callback body accepted, in bytes; a larger one is answered 413.
     */
    private Integer callbackMaxBodySize;

    /**
     * Store-wide. The HTTP path under which callbacks are received.
     */
    private String callbackPath;

    /**
     * Store-wide. How long the receiver waits for a callback's request, body included, before it answers 408 and closes
     * the connection (the service itself gives a receiver 15 s to answer). Served through platform-http on Vert.x;
     * another HTTP server bounds it with its own settings.
     */
    private Duration callbackReadTimeout;

    /**
     * Store-wide. Whether a callback is confirmed with one info call before the task is completed: the API signs
     * nothing, so a callback is a hint.
     */
    private Boolean verifyCallbacks;

    /**
     * Used for enabling or disabling all consumer based health checks from this component
     */
    private Boolean healthCheckConsumerEnabled;

    /**
     * Used for enabling or disabling all producer based health checks from this component. Notice: Camel has by default
     * disabled all producer based health-checks. You can turn on producer checks globally by setting
     * camel.health.producersEnabled=true.
     */
    private Boolean healthCheckProducerEnabled;

    /**
     * The name of the API account the endpoint's calls and tasks belong to: tasks store it instead of the key, and are
     * polled with that account's key. By default a name derived from a SHA-256 digest of baseUrl and apiKey, so that
     * endpoints with different keys are different accounts; name it to keep pending tasks across a key change.
     */
    private String account;

    /**
     * The API key, sent in the x-api-key header. Required, on the endpoint or the component. Best set once on the
     * component (camel.component.gptimage.api-key={{my.apikey}}): a key in an endpoint URI shows in Camel's route
     * dumps. In a URI, write it as apiKey=RAW(...) or apiKey=RAW({{my.apikey}}), never URL-encoded: Camel splits an
     * encoded key holding &amp;, = or into options of its own and names them in its error.
     */
    private String apiKey;

    /**
     * Store-wide. Whether the JDBC task store built on dataSource creates its tables when they are absent; false when a
     * DBA creates them from the schema files in the jar.
     */
    private Boolean createSchema;

    /**
     * Store-wide. A DataSource for a durable task store built by the component (PostgreSQL for several nodes, H2 in
     * file mode for one): it becomes the default task store instead of the in-memory one. Tables are created when
     * absent (createSchema); no secret is written to them. The value is a reference to a bean of type
     * javax.sql.DataSource: #beanName.
     */
    private String dataSource;

    /**
     * Store-wide. The prefix of the table and index names of the JDBC task store built on dataSource.
     */
    private String tablePrefix;

    public GptImageStoreKind getStore() {
        return store;
    }

    public void setStore(GptImageStoreKind store) {
        this.store = store;
    }

    public String getConfiguration() {
        return configuration;
    }

    public void setConfiguration(String configuration) {
        this.configuration = configuration;
    }

    public String getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public Boolean getDownload() {
        return download;
    }

    public void setDownload(Boolean download) {
        this.download = download;
    }

    public Long getDownloadMaxSize() {
        return downloadMaxSize;
    }

    public void setDownloadMaxSize(Long downloadMaxSize) {
        this.downloadMaxSize = downloadMaxSize;
    }

    public Integer getMaxConcurrentPolls() {
        return maxConcurrentPolls;
    }

    public void setMaxConcurrentPolls(Integer maxConcurrentPolls) {
        this.maxConcurrentPolls = maxConcurrentPolls;
    }

    public Duration getPollInitialDelay() {
        return pollInitialDelay;
    }

    public void setPollInitialDelay(Duration pollInitialDelay) {
        this.pollInitialDelay = pollInitialDelay;
    }

    public Duration getPollMaxInterval() {
        return pollMaxInterval;
    }

    public void setPollMaxInterval(Duration pollMaxInterval) {
        this.pollMaxInterval = pollMaxInterval;
    }

    public Boolean getBridgeErrorHandler() {
        return bridgeErrorHandler;
    }

    public void setBridgeErrorHandler(Boolean bridgeErrorHandler) {
        this.bridgeErrorHandler = bridgeErrorHandler;
    }

    public String getCallbackUrl() {
        return callbackUrl;
    }

    public void setCallbackUrl(String callbackUrl) {
        this.callbackUrl = callbackUrl;
    }

    public String getCorrelationHeaders() {
        return correlationHeaders;
    }

    public void setCorrelationHeaders(String correlationHeaders) {
        this.correlationHeaders = correlationHeaders;
    }

    public Long getCreditBudget() {
        return creditBudget;
    }

    public void setCreditBudget(Long creditBudget) {
        this.creditBudget = creditBudget;
    }

    public Duration getCreditBudgetPeriod() {
        return creditBudgetPeriod;
    }

    public void setCreditBudgetPeriod(Duration creditBudgetPeriod) {
        this.creditBudgetPeriod = creditBudgetPeriod;
    }

    public Integer getCreditsPerImage() {
        return creditsPerImage;
    }

    public void setCreditsPerImage(Integer creditsPerImage) {
        this.creditsPerImage = creditsPerImage;
    }

    public Boolean getEnableFallback() {
        return enableFallback;
    }

    public void setEnableFallback(Boolean enableFallback) {
        this.enableFallback = enableFallback;
    }

    public Boolean getEnhance() {
        return enhance;
    }

    public void setEnhance(Boolean enhance) {
        this.enhance = enhance;
    }

    public String getFallbackModel() {
        return fallbackModel;
    }

    public void setFallbackModel(String fallbackModel) {
        this.fallbackModel = fallbackModel;
    }

    public String getFilesUrl() {
        return filesUrl;
    }

    public void setFilesUrl(String filesUrl) {
        this.filesUrl = filesUrl;
    }

    public String getIdempotencyKey() {
        return idempotencyKey;
    }

    public void setIdempotencyKey(String idempotencyKey) {
        this.idempotencyKey = idempotencyKey;
    }

    public Boolean getLazyStartProducer() {
        return lazyStartProducer;
    }

    public void setLazyStartProducer(Boolean lazyStartProducer) {
        this.lazyStartProducer = lazyStartProducer;
    }

    public String getMaskUrl() {
        return maskUrl;
    }

    public void setMaskUrl(String maskUrl) {
        this.maskUrl = maskUrl;
    }

    public Double getMaxSubmitsPerSecond() {
        return maxSubmitsPerSecond;
    }

    public void setMaxSubmitsPerSecond(Double maxSubmitsPerSecond) {
        this.maxSubmitsPerSecond = maxSubmitsPerSecond;
    }

    public Integer getNVariants() {
        return nVariants;
    }

    public void setNVariants(Integer nVariants) {
        this.nVariants = nVariants;
    }

    public String getPrompt() {
        return prompt;
    }

    public void setPrompt(String prompt) {
        this.prompt = prompt;
    }

    public Boolean getResubmitInDoubt() {
        return resubmitInDoubt;
    }

    public void setResubmitInDoubt(Boolean resubmitInDoubt) {
        this.resubmitInDoubt = resubmitInDoubt;
    }

    public String getSize() {
        return size;
    }

    public void setSize(String size) {
        this.size = size;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public Boolean getTrackCompletion() {
        return trackCompletion;
    }

    public void setTrackCompletion(Boolean trackCompletion) {
        this.trackCompletion = trackCompletion;
    }

    public Boolean getUploadCn() {
        return uploadCn;
    }

    public void setUploadCn(Boolean uploadCn) {
        this.uploadCn = uploadCn;
    }

    public Boolean getWaitForCompletion() {
        return waitForCompletion;
    }

    public void setWaitForCompletion(Boolean waitForCompletion) {
        this.waitForCompletion = waitForCompletion;
    }

    public Duration getAuthRecheckInterval() {
        return authRecheckInterval;
    }

    public void setAuthRecheckInterval(Duration authRecheckInterval) {
        this.authRecheckInterval = authRecheckInterval;
    }

    public Boolean getAutowiredEnabled() {
        return autowiredEnabled;
    }

    public void setAutowiredEnabled(Boolean autowiredEnabled) {
        this.autowiredEnabled = autowiredEnabled;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public String getExecutorService() {
        return executorService;
    }

    public void setExecutorService(String executorService) {
        this.executorService = executorService;
    }

    public Duration getFinalRetention() {
        return finalRetention;
    }

    public void setFinalRetention(Duration finalRetention) {
        this.finalRetention = finalRetention;
    }

    public String getHttpClient() {
        return httpClient;
    }

    public void setHttpClient(String httpClient) {
        this.httpClient = httpClient;
    }

    public Duration getLeaseDuration() {
        return leaseDuration;
    }

    public void setLeaseDuration(Duration leaseDuration) {
        this.leaseDuration = leaseDuration;
    }

    public Integer getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(Integer maxConnections) {
        this.maxConnections = maxConnections;
    }

    public Integer getMaxPendingTasks() {
        return maxPendingTasks;
    }

    public void setMaxPendingTasks(Integer maxPendingTasks) {
        this.maxPendingTasks = maxPendingTasks;
    }

    public String getNodeId() {
        return nodeId;
    }

    public void setNodeId(String nodeId) {
        this.nodeId = nodeId;
    }

    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public Duration getSubmitTimeout() {
        return submitTimeout;
    }

    public void setSubmitTimeout(Duration submitTimeout) {
        this.submitTimeout = submitTimeout;
    }

    public String getTaskStore() {
        return taskStore;
    }

    public void setTaskStore(String taskStore) {
        this.taskStore = taskStore;
    }

    public String getCallbackBaseUrl() {
        return callbackBaseUrl;
    }

    public void setCallbackBaseUrl(String callbackBaseUrl) {
        this.callbackBaseUrl = callbackBaseUrl;
    }

    public Integer getCallbackMaxBodySize() {
        return callbackMaxBodySize;
    }

    public void setCallbackMaxBodySize(Integer callbackMaxBodySize) {
        this.callbackMaxBodySize = callbackMaxBodySize;
    }

    public String getCallbackPath() {
        return callbackPath;
    }

    public void setCallbackPath(String callbackPath) {
        this.callbackPath = callbackPath;
    }

    public Duration getCallbackReadTimeout() {
        return callbackReadTimeout;
    }

    public void setCallbackReadTimeout(Duration callbackReadTimeout) {
        this.callbackReadTimeout = callbackReadTimeout;
    }

    public Boolean getVerifyCallbacks() {
        return verifyCallbacks;
    }

    public void setVerifyCallbacks(Boolean verifyCallbacks) {
        this.verifyCallbacks = verifyCallbacks;
    }

    public Boolean getHealthCheckConsumerEnabled() {
        return healthCheckConsumerEnabled;
    }

    public void setHealthCheckConsumerEnabled(Boolean healthCheckConsumerEnabled) {
        this.healthCheckConsumerEnabled = healthCheckConsumerEnabled;
    }

    public Boolean getHealthCheckProducerEnabled() {
        return healthCheckProducerEnabled;
    }

    public void setHealthCheckProducerEnabled(Boolean healthCheckProducerEnabled) {
        this.healthCheckProducerEnabled = healthCheckProducerEnabled;
    }

    public String getAccount() {
        return account;
    }

    public void setAccount(String account) {
        this.account = account;
    }

    public String getApiKey() {
        return apiKey;
    }

    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    public Boolean getCreateSchema() {
        return createSchema;
    }

    public void setCreateSchema(Boolean createSchema) {
        this.createSchema = createSchema;
    }

    public String getDataSource() {
        return dataSource;
    }

    public void setDataSource(String dataSource) {
        this.dataSource = dataSource;
    }

    public String getTablePrefix() {
        return tablePrefix;
    }

    public void setTablePrefix(String tablePrefix) {
        this.tablePrefix = tablePrefix;
    }

    /**
     * The options that are set, under the component's option names, configuration first (it replaces
     * the endpoint defaults set before it); durations in milliseconds, beans as references.
     */
    Map<String, Object> componentOptions() {
        Map<String, Object> options = new LinkedHashMap<>();
        put(options, "configuration", configuration);
        put(options, "baseUrl", baseUrl);
        put(options, "download", download);
        put(options, "downloadMaxSize", downloadMaxSize);
        put(options, "maxConcurrentPolls", maxConcurrentPolls);
        put(options, "pollInitialDelay", millis(pollInitialDelay));
        put(options, "pollMaxInterval", millis(pollMaxInterval));
        put(options, "bridgeErrorHandler", bridgeErrorHandler);
        put(options, "callbackUrl", callbackUrl);
        put(options, "correlationHeaders", correlationHeaders);
        put(options, "creditBudget", creditBudget);
        put(options, "creditBudgetPeriod", millis(creditBudgetPeriod));
        put(options, "creditsPerImage", creditsPerImage);
        put(options, "enableFallback", enableFallback);
        put(options, "enhance", enhance);
        put(options, "fallbackModel", fallbackModel);
        put(options, "filesUrl", filesUrl);
        put(options, "idempotencyKey", idempotencyKey);
        put(options, "lazyStartProducer", lazyStartProducer);
        put(options, "maskUrl", maskUrl);
        put(options, "maxSubmitsPerSecond", maxSubmitsPerSecond);
        put(options, "nVariants", nVariants);
        put(options, "prompt", prompt);
        put(options, "resubmitInDoubt", resubmitInDoubt);
        put(options, "size", size);
        put(options, "timeout", millis(timeout));
        put(options, "trackCompletion", trackCompletion);
        put(options, "uploadCn", uploadCn);
        put(options, "waitForCompletion", waitForCompletion);
        put(options, "authRecheckInterval", millis(authRecheckInterval));
        put(options, "autowiredEnabled", autowiredEnabled);
        put(options, "connectTimeout", millis(connectTimeout));
        put(options, "executorService", executorService);
        put(options, "finalRetention", millis(finalRetention));
        put(options, "httpClient", httpClient);
        put(options, "leaseDuration", millis(leaseDuration));
        put(options, "maxConnections", maxConnections);
        put(options, "maxPendingTasks", maxPendingTasks);
        put(options, "nodeId", nodeId);
        put(options, "requestTimeout", millis(requestTimeout));
        put(options, "submitTimeout", millis(submitTimeout));
        put(options, "taskStore", taskStore);
        put(options, "callbackBaseUrl", callbackBaseUrl);
        put(options, "callbackMaxBodySize", callbackMaxBodySize);
        put(options, "callbackPath", callbackPath);
        put(options, "callbackReadTimeout", millis(callbackReadTimeout));
        put(options, "verifyCallbacks", verifyCallbacks);
        put(options, "healthCheckConsumerEnabled", healthCheckConsumerEnabled);
        put(options, "healthCheckProducerEnabled", healthCheckProducerEnabled);
        put(options, "account", account);
        put(options, "apiKey", apiKey);
        put(options, "createSchema", createSchema);
        put(options, "dataSource", dataSource);
        put(options, "tablePrefix", tablePrefix);
        return options;
    }

    private static void put(Map<String, Object> options, String name, Object value) {
        if (value != null) {
            options.put(name, value);
        }
    }

    private static Long millis(Duration duration) {
        return duration != null ? duration.toMillis() : null;
    }
}
