package io.github.gptimage.camel.api;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The pooled Apache HttpClient 5 async clients of one task service, one per connect timeout (HttpClient 5 sets the
 * connect timeout per connection pool, not per request) and use: the poller's info calls have pools of their own, so
 * that a burst of submits waiting for connections never holds up the polls. Each validates connections idle for over a second before
 * reuse and never retries on its own: a repeated generate is paid twice, so retries belong to the route.
 */
public final class HttpConnectionPools implements AutoCloseable {

    private final int maxConnections;
    private final ThreadFactory ioThreads;
    private final Map<Use, CloseableHttpAsyncClient> clients = new ConcurrentHashMap<>();

    /**
     * @param maxConnections the connections each pool keeps at most
     * @param ioThreads      makes the I/O reactor's threads (Camel's thread naming)
     */
    public HttpConnectionPools(int maxConnections, ThreadFactory ioThreads) {
        this.maxConnections = maxConnections;
        this.ioThreads = ioThreads;
    }

    /** The started pool for {@code connectTimeout}: the poller's own when {@code polls}, else the endpoints'. */
    public CloseableHttpAsyncClient forConnectTimeout(Duration connectTimeout, boolean polls) {
        return clients.computeIfAbsent(new Use(connectTimeout, polls), use -> build(use.connectTimeout(), use.polls()));
    }

    private CloseableHttpAsyncClient build(Duration connectTimeout, boolean polls) {
        CloseableHttpAsyncClient client = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout))
                                .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                                .build())
                        .setMaxConnTotal(maxConnections)
                        .setMaxConnPerRoute(maxConnections)
                        .build())
                .setIOReactorConfig(IOReactorConfig.custom()
                        // small info answers: one I/O thread serves the poller
                        .setIoThreadCount(polls ? 1 : Math.max(1, Runtime.getRuntime().availableProcessors()))
                        .build())
                .setThreadFactory(ioThreads)
                .disableAutomaticRetries()
                // the API authenticates by key only; a cookie one account was sent must not go with another's calls
                .disableCookieManagement()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();
        client.start();
        return client;
    }

    @Override
    public void close() {
        clients.values().forEach(client -> client.close(CloseMode.GRACEFUL));
        clients.clear();
    }

    private record Use(Duration connectTimeout, boolean polls) {
    }
}
