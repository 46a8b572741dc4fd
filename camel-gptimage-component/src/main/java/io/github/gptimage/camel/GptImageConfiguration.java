package io.github.gptimage.camel;

import io.github.gptimage.camel.error.GptImageDownloadException;
import io.github.gptimage.camel.error.GptImageTimeoutException;
import io.github.gptimage.camel.task.GptImageTaskStore;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;

/**
 * The options of a {@code gptimage} endpoint. Set on the component, an option is the default of every endpoint; set
 * on the endpoint, it wins. Request options are the lowest layer of a request: the message body and headers win.
 */
@UriParams
public class GptImageConfiguration implements Cloneable {

    static final String DEFAULT_BASE_URL = "https://api.revidapi.com";

    @UriParam(label = "security", secret = true,
              description = "The API key, sent in the x-api-key header. Required, on the endpoint or the component."
                            + " Best set once on the component (camel.component.gptimage.api-key={{my.apikey}}): a key"
                            + " in an endpoint URI shows in Camel's route dumps. In a URI, write it as"
                            + " apiKey=RAW(...) or apiKey=RAW({{my.apikey}}), never URL-encoded: Camel splits an"
                            + " encoded key holding &, = or + into options of its own and names them in its error.")
    @Metadata(required = true)
    private String apiKey;

    @UriParam(label = "security",
              description = "The name of the API account the endpoint's calls and tasks belong to: tasks store it"
                            + " instead of the key, and are polled with that account's key. By default a name derived"
                            + " from a SHA-256 digest of baseUrl and apiKey, so that endpoints with different keys are"
                            + " different accounts; name it to keep pending tasks across a key change.")
    private String account;

    @UriParam(defaultValue = DEFAULT_BASE_URL,
              description = "The base URL of the API: point it at the simulator, a proxy or another provider.")
    private String baseUrl = DEFAULT_BASE_URL;

    @UriParam(label = "producer", defaultValue = "1:1", enums = "1:1,3:2,2:3",
              description = "The aspect ratio of the image: 1:1 (1024x1024), 3:2 (1536x1024) or 2:3 (1024x1536).")
    private String size = "1:1";

    @UriParam(label = "producer", description = "The text prompt; a String body or the CamelGptImagePrompt header wins.")
    private String prompt;

    @UriParam(label = "producer",
              description = "Up to 5 public URLs of source images to edit or build upon, comma-separated.")
    private String filesUrl;

    @UriParam(label = "producer",
              description = "The URL of a mask image (black = edit, white = keep), same dimensions as the source image.")
    private String maskUrl;

    @UriParam(label = "producer", defaultValue = "1", enums = "1,2,4",
              description = "How many variants to generate: 1, 2 or 4 (each one is paid).")
    private int nVariants = 1;

    @UriParam(label = "producer", defaultValue = "false",
              description = "Whether the service enhances the prompt (sent as isEnhance).")
    private boolean enhance;

    @UriParam(label = "producer", defaultValue = "false",
              description = "Whether results are uploaded through servers in China.")
    private boolean uploadCn;

    @UriParam(label = "producer", defaultValue = "false",
              description = "Whether the service may fall back to a backup model when GPT-4o image is unavailable.")
    private boolean enableFallback;

    @UriParam(label = "producer", enums = "GPT_IMAGE_1,FLUX_MAX",
              description = "The backup model used with enableFallback: GPT_IMAGE_1 or FLUX_MAX (the service's default).")
    private String fallbackModel;

    @UriParam(label = "producer",
              description = "The URL the service posts the completion to (sent as callBackUrl).")
    private String callbackUrl;

    @UriParam(label = "advanced", defaultValue = "10000", javaType = "java.time.Duration",
              description = "How long to wait for a connection to the API.")
    private long connectTimeout = 10_000;

    @UriParam(label = "advanced", defaultValue = "60000", javaType = "java.time.Duration",
              description = "How long an info call or an image download waits for its answer once the request is sent"
                            + " (and for a pooled connection). These calls are free: one that times out is a retryable"
                            + " GptImageTransportException, and polls try again. generate waits submitTimeout instead.")
    private long requestTimeout = 60_000;

    @UriParam(label = "advanced", defaultValue = "300000", javaType = "java.time.Duration",
              description = "How long a generate call waits for the service's answer once the request is sent (and for"
                            + " a pooled connection). Long on purpose: the service may create and charge the task"
                            + " before it answers, and the answer carries the only handle on it, so a generate that"
                            + " gives up fails with the final GptImageSubmitInDoubtException (the task may be paid"
                            + " and never seen) instead of a retryable error. Waiting costs one connection and no"
                            + " thread.")
    private long submitTimeout = 300_000;

    @UriParam(label = "advanced",
              description = "The Apache HttpClient 5 async client to call the API with (proxy, TLS, pool); the component"
                            + " builds a pooled one when absent. A client given here is started but never closed by the"
                            + " component.")
    private CloseableHttpAsyncClient httpClient;

    @UriParam(label = "advanced",
              description = "The store of pending tasks (default: in memory). A store shared by several nodes (SQL)"
                            + " lets them share polling and completion.")
    private GptImageTaskStore taskStore;

    @UriParam(label = "producer", defaultValue = "true",
              description = "Whether generate records the task so that its completion is delivered (to a waiting"
                            + " exchange or the tasks consumer).")
    private boolean trackCompletion = true;

    @UriParam(label = "producer",
              description = "A Camel simple expression (for example ${header.CamelFileName}-${file:modified}) whose"
                            + " value identifies a submit within its account: a generate whose key is already known"
                            + " sends nothing and gets the existing task. The header CamelGptImageIdempotencyKey wins."
                            + " Needs trackCompletion.")
    private String idempotencyKey;

    @UriParam(label = "producer", defaultValue = "false",
              description = "Whether a submit whose idempotency key belongs to a submit in doubt (its answer was lost"
                            + " after the request was sent, so the task may exist and be paid) is sent again; by"
                            + " default it fails with GptImageSubmitInDoubtException.")
    private boolean resubmitInDoubt;

    @UriParam(label = "producer", defaultValue = "10",
              description = "The credits one image costs (10 on the provider's price list): a generate is expected to"
                            + " cost creditsPerImage x nVariants, set as the CamelGptImageCredits header on the"
                            + " exchange and on the task's completion, and charged to the account's creditBudget.")
    private int creditsPerImage = 10;

    @UriParam(label = "producer", defaultValue = "0",
              description = "Account-wide: the most credits the account's generates may spend per"
                            + " creditBudgetPeriod (0: no budget). A generate that would exceed it fails before"
                            + " anything is sent with the final GptImageBudgetExceededException; refused and invalid"
                            + " submits cost nothing, one whose answer was lost counts as spent. Kept in the task"
                            + " store: shared by every node of a JDBC store. Set on the component for every account,"
                            + " or alike on every generate endpoint of an account: one that sets another value fails"
                            + " at start.")
    private long creditBudget;

    @UriParam(label = "producer", defaultValue = "86400000", javaType = "java.time.Duration",
              description = "Account-wide: the period of the creditBudget, in fixed windows counted from the epoch"
                            + " in UTC (1d: from midnight UTC to midnight UTC; 1h: from each full hour). At least 1s.")
    private long creditBudgetPeriod = 86_400_000;

    @UriParam(label = "producer", defaultValue = "0",
              description = "Account-wide, per node: the most generates the account sends a second, evenly spaced"
                            + " (0: no limit; the wholesale service takes 20 new tasks per 10 s, i.e. 2). Submits"
                            + " beyond it wait, holding no thread, instead of being refused with a 429. With several"
                            + " nodes, give each its share.")
    private double maxSubmitsPerSecond;

    @UriParam(label = "producer",
              description = "Comma-separated names of headers (for example CamelFileName,orderId) whose values at"
                            + " submit time are set again on the task's completion exchange.")
    private String correlationHeaders;

    @UriParam(label = "producer", defaultValue = "false",
              description = "Whether generate waits, without holding a thread, until the task is final and then"
                            + " continues the route with the completion's body and headers.")
    private boolean waitForCompletion;

    @UriParam(label = "producer", defaultValue = "600000", javaType = "java.time.Duration",
              description = "How long a waiting generate waits before failing with GptImageTimeoutException; the task"
                            + " stays pending for the tasks consumer.")
    private long timeout = 600_000;

    @UriParam(defaultValue = "10000", javaType = "java.time.Duration",
              description = "How long after submitting a task it is first polled (at least 334 ms: the API allows 3"
                            + " info calls a second per task). The schedule of a task is the one of the generate"
                            + " endpoint that submitted it.")
    private long pollInitialDelay = 10_000;

    @UriParam(defaultValue = "30000", javaType = "java.time.Duration",
              description = "The longest interval between two polls of one task; intervals grow from"
                            + " pollInitialDelay up to it.")
    private long pollMaxInterval = 30_000;

    @UriParam(defaultValue = "10",
              description = "Store-wide: how many info calls may be in flight at once for the endpoint's task store."
                            + " Set it on the component; an endpoint that sets another value fails at creation.")
    private int maxConcurrentPolls = 10;

    @UriParam(defaultValue = "false",
              description = "Whether the images are downloaded before the completion is emitted: the body is then"
                            + " a byte array for one image, a list of byte arrays for several.")
    private boolean download;

    @UriParam(defaultValue = "52428800",
              description = "The largest image download accepted, in bytes; a larger one fails the task with"
                            + " GptImageDownloadException.")
    private long downloadMaxSize = 52_428_800;

    public GptImageConfiguration copy() {
        try {
            return (GptImageConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getApiKey() {
        return apiKey;
    }

    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    public String getAccount() {
        return account;
    }

    public void setAccount(String account) {
        this.account = account;
    }

    public String getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String getSize() {
        return size;
    }

    public void setSize(String size) {
        this.size = size;
    }

    public String getPrompt() {
        return prompt;
    }

    public void setPrompt(String prompt) {
        this.prompt = prompt;
    }

    public String getFilesUrl() {
        return filesUrl;
    }

    public void setFilesUrl(String filesUrl) {
        this.filesUrl = filesUrl;
    }

    public String getMaskUrl() {
        return maskUrl;
    }

    public void setMaskUrl(String maskUrl) {
        this.maskUrl = maskUrl;
    }

    public int getNVariants() {
        return nVariants;
    }

    public void setNVariants(int nVariants) {
        this.nVariants = nVariants;
    }

    public boolean isEnhance() {
        return enhance;
    }

    public void setEnhance(boolean enhance) {
        this.enhance = enhance;
    }

    public boolean isUploadCn() {
        return uploadCn;
    }

    public void setUploadCn(boolean uploadCn) {
        this.uploadCn = uploadCn;
    }

    public boolean isEnableFallback() {
        return enableFallback;
    }

    public void setEnableFallback(boolean enableFallback) {
        this.enableFallback = enableFallback;
    }

    public String getFallbackModel() {
        return fallbackModel;
    }

    public void setFallbackModel(String fallbackModel) {
        this.fallbackModel = fallbackModel;
    }

    public String getCallbackUrl() {
        return callbackUrl;
    }

    public void setCallbackUrl(String callbackUrl) {
        this.callbackUrl = callbackUrl;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public long getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(long requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public long getSubmitTimeout() {
        return submitTimeout;
    }

    public void setSubmitTimeout(long submitTimeout) {
        this.submitTimeout = submitTimeout;
    }

    public CloseableHttpAsyncClient getHttpClient() {
        return httpClient;
    }

    public void setHttpClient(CloseableHttpAsyncClient httpClient) {
        this.httpClient = httpClient;
    }

    public GptImageTaskStore getTaskStore() {
        return taskStore;
    }

    public void setTaskStore(GptImageTaskStore taskStore) {
        this.taskStore = taskStore;
    }

    public boolean isTrackCompletion() {
        return trackCompletion;
    }

    public void setTrackCompletion(boolean trackCompletion) {
        this.trackCompletion = trackCompletion;
    }

    public String getIdempotencyKey() {
        return idempotencyKey;
    }

    public void setIdempotencyKey(String idempotencyKey) {
        this.idempotencyKey = idempotencyKey;
    }

    public boolean isResubmitInDoubt() {
        return resubmitInDoubt;
    }

    public void setResubmitInDoubt(boolean resubmitInDoubt) {
        this.resubmitInDoubt = resubmitInDoubt;
    }

    public int getCreditsPerImage() {
        return creditsPerImage;
    }

    public void setCreditsPerImage(int creditsPerImage) {
        this.creditsPerImage = creditsPerImage;
    }

    public long getCreditBudget() {
        return creditBudget;
    }

    public void setCreditBudget(long creditBudget) {
        this.creditBudget = creditBudget;
    }

    public long getCreditBudgetPeriod() {
        return creditBudgetPeriod;
    }

    public void setCreditBudgetPeriod(long creditBudgetPeriod) {
        this.creditBudgetPeriod = creditBudgetPeriod;
    }

    public double getMaxSubmitsPerSecond() {
        return maxSubmitsPerSecond;
    }

    public void setMaxSubmitsPerSecond(double maxSubmitsPerSecond) {
        this.maxSubmitsPerSecond = maxSubmitsPerSecond;
    }

    public String getCorrelationHeaders() {
        return correlationHeaders;
    }

    public void setCorrelationHeaders(String correlationHeaders) {
        this.correlationHeaders = correlationHeaders;
    }

    public boolean isWaitForCompletion() {
        return waitForCompletion;
    }

    public void setWaitForCompletion(boolean waitForCompletion) {
        this.waitForCompletion = waitForCompletion;
    }

    public long getTimeout() {
        return timeout;
    }

    public void setTimeout(long timeout) {
        this.timeout = timeout;
    }

    public long getPollInitialDelay() {
        return pollInitialDelay;
    }

    public void setPollInitialDelay(long pollInitialDelay) {
        this.pollInitialDelay = pollInitialDelay;
    }

    public long getPollMaxInterval() {
        return pollMaxInterval;
    }

    public void setPollMaxInterval(long pollMaxInterval) {
        this.pollMaxInterval = pollMaxInterval;
    }

    public int getMaxConcurrentPolls() {
        return maxConcurrentPolls;
    }

    public void setMaxConcurrentPolls(int maxConcurrentPolls) {
        this.maxConcurrentPolls = maxConcurrentPolls;
    }

    public boolean isDownload() {
        return download;
    }

    public void setDownload(boolean download) {
        this.download = download;
    }

    public long getDownloadMaxSize() {
        return downloadMaxSize;
    }

    public void setDownloadMaxSize(long downloadMaxSize) {
        this.downloadMaxSize = downloadMaxSize;
    }
}
