package io.github.gptimage.benchmarks;

import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * The server of the submit scenario, run in a JVM of its own: a Vert.x HTTP server on one event loop that answers
 * {@code POST /paid/gpt4o-image/generate} at once with the API's envelope and a fresh 32-hex-digit task id, when the
 * request carries the key in {@code x-api-key} and a JSON body with {@code prompt} and {@code size} (a plain text
 * check: no JSON parsing on the server, whose CPU competes with the client's); a body without them is answered with
 * the envelope code 422 (HTTP 200, as the API does). Anything else (another path or method, a wrong or missing key)
 * answers HTTP 404 with the envelope code 404. {@code GET /__bench/count} answers how many generate calls were
 * answered.
 * <p>
 * It answers what the WireMock stub it replaced answered, at a fraction of the CPU per call (a response
 * transformer in WireMock took about 100 us per call, half of the two cores at the scenario's rates): the scenario
 * measures the clients, and every CPU microsecond the server spends on a call is one the clients do not get.
 * <p>
 * {@code java -cp gptimage-benchmarks.jar io.github.gptimage.benchmarks.SubmitServer KEY}
 */
public final class SubmitServer {

    static final String GENERATE_PATH = "/paid/gpt4o-image/generate";
    static final String COUNT_PATH = "/__bench/count";

    private static final ObjectWriter JSON = new ObjectMapper().writerFor(Envelope.class);
    private static final Buffer NOT_FOUND = envelope(new Envelope(404, "not found", null));
    private static final Buffer MISSING_FIELDS = envelope(new Envelope(422, "prompt and size are required", null));

    private final String apiKey;
    private final AtomicLong generated = new AtomicLong();

    private SubmitServer(String apiKey) {
        this.apiKey = apiKey;
    }

    public static void main(String[] args) {
        String apiKey = args.length > 0 ? args[0] : SimulatorProcess.API_KEY;
        // one event loop: the calls are answered without blocking, and a second loop would only add contention
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        SubmitServer stub = new SubmitServer(apiKey);
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setPort(0).setCompressionSupported(false))
                .requestHandler(stub::handle)
                .listen()
                .toCompletionStage().toCompletableFuture().join();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().toCompletionStage().toCompletableFuture()
                .join(), "submit-server-shutdown"));
        System.out.println("Submit benchmark server listening on http://localhost:" + server.actualPort());
    }

    private void handle(HttpServerRequest request) {
        // the whole body first, whatever the answer, so that the connection stays usable for the next request
        request.body().onComplete(body -> {
            if (body.failed()) {
                request.response().setStatusCode(400).end();
            } else if (request.method() == HttpMethod.POST && GENERATE_PATH.equals(request.path())
                       && apiKey.equals(request.getHeader("x-api-key"))) {
                answer(request, 200, generate(body.result().toString()));
            } else if (request.method() == HttpMethod.GET && COUNT_PATH.equals(request.path())) {
                answer(request, 200, envelope(new Envelope(200, "success", Map.of("generateCalls", generated.get()))));
            } else {
                answer(request, 404, NOT_FOUND.copy());
            }
        });
    }

    private Buffer generate(String body) {
        if (!body.contains("\"prompt\"") || !body.contains("\"size\"")) {
            return MISSING_FIELDS.copy();
        }
        generated.incrementAndGet();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String taskId = HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong());
        return envelope(new Envelope(200, "success", Map.of("taskId", taskId)));
    }

    private static void answer(HttpServerRequest request, int status, Buffer json) {
        request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json);
    }

    private static Buffer envelope(Envelope envelope) {
        try {
            return Buffer.buffer(JSON.writeValueAsBytes(envelope));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + envelope, e);
        }
    }

    /** The API's answer envelope: {@code data} is written as {@code null} when there is none. */
    private record Envelope(int code, String msg, Object data) {
    }
}
