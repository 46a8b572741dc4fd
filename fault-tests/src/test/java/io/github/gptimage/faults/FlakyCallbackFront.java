package io.github.gptimage.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A reverse proxy in front of the application's callback receiver, as a load balancer would be: the component's
 * {@code callbackBaseUrl} points here, and every callback the simulator posts is forwarded to the receiver, except the
 * first attempt of every {@code failEvery}-th callback URL, which is answered 503 so that the simulator retries it
 * ({@code callbackRetryDelays} scaled down): those callbacks arrive late, possibly after polling completed the task.
 * It counts what the receiver answered (its body names the verdict: accepted, duplicate, unauthorized, malformed).
 */
final class FlakyCallbackFront implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(16);
    private final HttpClient forward = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String target;
    private final int failEvery;
    private final Map<String, AtomicInteger> attemptsPerUrl = new ConcurrentHashMap<>();
    private final AtomicInteger distinctUrls = new AtomicInteger();
    private final AtomicInteger refusedOnPurpose = new AtomicInteger();
    private final Map<String, AtomicInteger> verdicts = new ConcurrentHashMap<>();

    /**
     * @param target    the receiver's base URL, {@code http://localhost:PORT}
     * @param failEvery the first attempt of every failEvery-th distinct callback URL is answered 503
     */
    FlakyCallbackFront(String target, int failEvery) throws IOException {
        this.target = target;
        this.failEvery = failEvery;
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 100);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getRawPath();
            int attempt = attemptsPerUrl.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            if (attempt == 1 && distinctUrls.incrementAndGet() % failEvery == 0) {
                refusedOnPurpose.incrementAndGet();
                answer(exchange, 503, "front refuses the first attempt");
                return;
            }
            HttpResponse<String> response;
            try {
                response = forward.send(HttpRequest.newBuilder(URI.create(target + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answer(exchange, 502, "interrupted");
                return;
            } catch (IOException e) {
                answer(exchange, 502, "receiver unreachable: " + e);
                return;
            }
            verdicts.computeIfAbsent(response.statusCode() + " " + response.body(), v -> new AtomicInteger())
                    .incrementAndGet();
            answer(exchange, response.statusCode(), response.body());
        }
    }

    private static void answer(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** How many callback attempts were answered 503 on purpose. */
    int refusedOnPurpose() {
        return refusedOnPurpose.get();
    }

    /** The receiver's answers to the forwarded callbacks, e.g. {@code "200 accepted" -> 45}. */
    Map<String, Integer> verdicts() {
        Map<String, Integer> copy = new TreeMap<>();
        verdicts.forEach((verdict, count) -> copy.put(verdict, count.get()));
        return copy;
    }

    int verdictCount(String verdict) {
        AtomicInteger count = verdicts.get(verdict);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
