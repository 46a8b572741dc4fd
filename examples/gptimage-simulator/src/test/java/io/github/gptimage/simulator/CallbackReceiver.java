package io.github.gptimage.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

/**
 * A tiny HTTP server that records the callbacks posted to it and answers with a fixed status, or
 * with the replies queued by {@link #answerNext(int...)} and {@link #stallNext(int, Duration)} first.
 */
final class CallbackReceiver implements AutoCloseable {

    /** One callback as received: its body and when it arrived (System.nanoTime). */
    record Received(JsonNode body, long arrivedNanos) {

        String taskId() {
            return body.path("data").path("taskId").asText();
        }
    }

    private record Reply(int status, Duration delay) {
    }

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Queue<Reply> nextReplies = new ConcurrentLinkedQueue<>();
    private volatile int answerStatus = 200;

    CallbackReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(handlers);
        server.createContext("/callback", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                received.add(new Received(ApiClient.MAPPER.readTree(body), System.nanoTime()));
            }
            Reply reply = nextReplies.poll();
            if (reply != null && !reply.delay().isZero()) {
                try {
                    Thread.sleep(reply.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(reply == null ? answerStatus : reply.status(), -1);
            exchange.close();
        });
        server.start();
    }

    String url(String token) {
        return "http://localhost:" + server.getAddress().getPort() + "/callback?token=" + token;
    }

    /** A callback URL on a port nobody listens on: every delivery fails to connect. */
    static String unreachableUrl() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://localhost:" + socket.getLocalPort() + "/callback";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<JsonNode> received() {
        return received.stream().map(Received::body).toList();
    }

    List<JsonNode> receivedFor(String taskId) {
        return received.stream().filter(c -> c.taskId().equals(taskId)).map(Received::body).toList();
    }

    /** The arrival times of the callbacks of a task, in milliseconds since the first one. */
    List<Long> arrivalMillisFor(String taskId) {
        List<Long> nanos = received.stream().filter(c -> c.taskId().equals(taskId)).map(Received::arrivedNanos)
                .toList();
        return nanos.stream().map(n -> Duration.ofNanos(n - nanos.get(0)).toMillis()).toList();
    }

    /** The status of every answer once the queued replies are used up. */
    void answerWith(int status) {
        answerStatus = status;
    }

    /** The next callbacks are answered with these statuses, in order. */
    void answerNext(int... statuses) {
        for (int status : statuses) {
            nextReplies.add(new Reply(status, Duration.ZERO));
        }
    }

    /** The next {@code times} callbacks are answered 200 only after {@code delay}. */
    void stallNext(int times, Duration delay) {
        for (int i = 0; i < times; i++) {
            nextReplies.add(new Reply(200, delay));
        }
    }

    /** Answers 200 again, with nothing queued. */
    void reset() {
        nextReplies.clear();
        answerStatus = 200;
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
