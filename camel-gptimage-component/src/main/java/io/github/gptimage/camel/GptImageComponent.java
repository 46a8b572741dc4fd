package io.github.gptimage.camel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gptimage.camel.api.GptImageClient;
import io.github.gptimage.camel.api.HttpGptImageClient;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.ObjectHelper;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The {@code gptimage} component. Holds the defaults of every endpoint and the services they share: the HTTP client
 * pool, the JSON mapper and the pool that completes asynchronous answers.
 */
@Component("gptimage")
public class GptImageComponent extends DefaultComponent {

    /** Threads that run the route after an answer arrives; answers queue rather than spawn threads. */
    private static final int COMPLETION_THREADS = 4;
    private static final int MAX_CONNECTIONS = 200;

    @Metadata(description = "The default options of every endpoint; an option set on an endpoint wins.")
    private GptImageConfiguration configuration = new GptImageConfiguration();

    private final ObjectMapper objectMapper = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private final Map<Long, CloseableHttpAsyncClient> ownHttpClients = new ConcurrentHashMap<>();
    private ExecutorService completionExecutor;

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
        profile.setMaxQueueSize(-1);
        completionExecutor = getCamelContext().getExecutorServiceManager().newThreadPool(this, "GptImage", profile);
    }

    @Override
    protected void doStop() throws Exception {
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
                java.time.Duration.ofMillis(config.getRequestTimeout()), objectMapper, completionExecutor);
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

    ExecutorService getCompletionExecutor() {
        return completionExecutor;
    }

    public GptImageConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(GptImageConfiguration configuration) {
        this.configuration = configuration;
    }
}
