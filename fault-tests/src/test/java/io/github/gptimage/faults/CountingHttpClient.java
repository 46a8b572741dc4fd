package io.github.gptimage.faults;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.gptimage.simulator.GptImageSimulator;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The HttpClient 5 async client the component is given (its {@code httpClient} option), set up as the component's own
 * pools are (connections validated after a second idle, no automatic retries), with a request interceptor that counts
 * every request sent: generate calls, and info calls per task id. The simulator counts calls in total only; this
 * tells which task each info call was for, so that the suite can bound the info calls of each task and prove that no
 * info call was made for an id the service never gave out. The totals are checked against the simulator's. A response
 * interceptor notes when each generate answer arrived (against when the route got it: the component's own delay).
 */
final class CountingHttpClient implements AutoCloseable {

    private final AtomicLong generateCalls = new AtomicLong();
    private final AtomicLong infoCalls = new AtomicLong();
    private final Map<String, AtomicInteger> infoCallsPerTask = new ConcurrentHashMap<>();
    /**
     * When each call was sent ("generate", or the task id of an info call) and when each generate answer's head
     * arrived ("generate-answered"), in ms since the epoch: the timeline of a run.
     */
    final java.util.List<Map.Entry<String, Long>> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final CloseableHttpAsyncClient client;

    CountingHttpClient() {
        client = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(Duration.ofSeconds(5)))
                                .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                                .build())
                        .setMaxConnTotal(200)
                        .setMaxConnPerRoute(200)
                        .build())
                .disableAutomaticRetries()
                .addRequestInterceptorFirst((request, entity, context) -> count(request))
                .addResponseInterceptorLast((response, entity, context) -> {
                    HttpRequest request = org.apache.hc.core5.http.protocol.HttpCoreContext.cast(context).getRequest();
                    if (request != null && request.getPath().startsWith(GptImageSimulator.GENERATE_PATH)) {
                        sent.add(Map.entry("generate-answered", System.currentTimeMillis()));
                    }
                })
                .build();
    }

    CloseableHttpAsyncClient client() {
        return client;
    }

    private void count(HttpRequest request) {
        String path = request.getPath();
        if (path == null) {
            return;
        }
        int query = path.indexOf('?');
        String bare = query < 0 ? path : path.substring(0, query);
        if (bare.equals(GptImageSimulator.GENERATE_PATH)) {
            generateCalls.incrementAndGet();
            sent.add(Map.entry("generate", System.currentTimeMillis()));
        } else if (bare.equals(GptImageSimulator.INFO_PATH)) {
            infoCalls.incrementAndGet();
            String taskId = query < 0 ? "" : taskIdOf(path.substring(query + 1));
            infoCallsPerTask.computeIfAbsent(taskId, id -> new AtomicInteger()).incrementAndGet();
            sent.add(Map.entry(taskId, System.currentTimeMillis()));
        }
    }

    private static String taskIdOf(String queryString) {
        for (String parameter : queryString.split("&")) {
            if (parameter.startsWith("taskId=")) {
                return URLDecoder.decode(parameter.substring("taskId=".length()), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    long generateCalls() {
        return generateCalls.get();
    }

    long infoCalls() {
        return infoCalls.get();
    }

    /** The info calls sent per task id (the empty id: a call without one). */
    Map<String, Integer> infoCallsPerTask() {
        Map<String, Integer> copy = new java.util.TreeMap<>();
        infoCallsPerTask.forEach((id, count) -> copy.put(id, count.get()));
        return copy;
    }

    @Override
    public void close() {
        client.close(CloseMode.GRACEFUL);
    }
}
