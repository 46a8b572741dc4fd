package io.github.gptimage.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tiny HTTP server that records the callbacks posted to it and answers with a fixed status. */
final class CallbackReceiver implements AutoCloseable {

    private final HttpServer server;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private volatile int answerStatus = 200;

    CallbackReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/callback", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                received.add(ApiClient.MAPPER.readTree(body));
            }
            exchange.sendResponseHeaders(answerStatus, -1);
            exchange.close();
        });
        server.start();
    }

    String url(String token) {
        return "http://localhost:" + server.getAddress().getPort() + "/callback?token=" + token;
    }

    List<JsonNode> received() {
        return received;
    }

    List<JsonNode> receivedFor(String taskId) {
        return received.stream().filter(c -> c.path("data").path("taskId").asText().equals(taskId)).toList();
    }

    void answerWith(int status) {
        answerStatus = status;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
