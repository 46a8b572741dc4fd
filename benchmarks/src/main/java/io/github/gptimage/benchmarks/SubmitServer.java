package io.github.gptimage.benchmarks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * The server of the submit scenario, run in a JVM of its own: a WireMock server that answers
 * {@code POST /paid/gpt4o-image/generate} at once with the API's envelope and a fresh task id (a response
 * transformer, so that the answer is templated per request), when the request carries the key in {@code x-api-key}
 * and a JSON body with {@code prompt} and {@code size} (a plain text check: no JSON parsing on the server, whose CPU
 * competes with the client's); a body without them is answered with the envelope code 422. Anything else answers
 * HTTP 404 with the envelope code 404.
 * {@code GET /__bench/count} answers how many generate calls were answered.
 * <p>
 * {@code java -cp gptimage-benchmarks.jar io.github.gptimage.benchmarks.SubmitServer KEY}
 */
public final class SubmitServer {

    static final String GENERATE_PATH = "/paid/gpt4o-image/generate";

    private SubmitServer() {
    }

    public static void main(String[] args) {
        String apiKey = args.length > 0 ? args[0] : SimulatorProcess.API_KEY;
        AtomicLong generated = new AtomicLong();
        WireMockServer server = new WireMockServer(WireMockConfiguration.options()
                .port(0)
                .containerThreads(80)
                .jettyAcceptors(1)
                .gzipDisabled(true)
                .stubRequestLoggingDisabled(true)
                .notifier(new ConsoleNotifier(false))
                .disableRequestJournal()
                .extensions(new FreshTaskId(generated), new Count(generated)));
        server.stubFor(post(urlPathEqualTo(GENERATE_PATH))
                .withHeader("x-api-key", equalTo(apiKey))
                .willReturn(aResponse().withTransformers(FreshTaskId.NAME)));
        server.stubFor(get(urlPathEqualTo("/__bench/count")).willReturn(aResponse().withTransformers(Count.NAME)));
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"code\":404,\"msg\":\"not found\",\"data\":null}")));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "submit-server-shutdown"));
        System.out.println("Submit benchmark server listening on http://localhost:" + server.port());
    }

    /** The generate answer with a fresh 32-hex-digit task id. */
    private static final class FreshTaskId implements ResponseDefinitionTransformerV2 {
        static final String NAME = "bench-fresh-task-id";
        private final AtomicLong generated;

        FreshTaskId(AtomicLong generated) {
            this.generated = generated;
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            String body = serveEvent.getRequest().getBodyAsString();
            if (!body.contains("\"prompt\"") || !body.contains("\"size\"")) {
                return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":422,\"msg\":\"prompt and size are required\",\"data\":null}").build();
            }
            generated.incrementAndGet();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String taskId = HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong());
            return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                    .withBody("{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"" + taskId + "\"}}")
                    .build();
        }

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }
    }

    private static final class Count implements ResponseDefinitionTransformerV2 {
        static final String NAME = "bench-count";
        private final AtomicLong generated;

        Count(AtomicLong generated) {
            this.generated = generated;
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                    .withBody("{\"code\":200,\"msg\":\"success\",\"data\":{\"generateCalls\":" + generated.get() + "}}")
                    .build();
        }

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }
    }
}
