package io.github.gptimage.benchmarks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * The server of the pg-store scenario, run in a JVM of its own: a WireMock server that answers
 * {@code POST /paid/gpt4o-image/generate} (with the key in {@code x-api-key}) at once with a fresh task id, and
 * {@code POST /paid/gpt4o-image/info?taskId=...} at once with that task finished ({@code SUCCESS}, one result URL):
 * every task is final at its first info call. The answers are written by Jackson in response transformers (no
 * templating engine), so that the server's CPU per call stays small. {@code GET /__bench/count} answers how many
 * generate and info calls were answered.
 * <p>
 * {@code java -cp gptimage-benchmarks.jar io.github.gptimage.benchmarks.FinalAtOnceServer KEY}
 */
public final class FinalAtOnceServer {

    static final String GENERATE_PATH = "/paid/gpt4o-image/generate";
    static final String INFO_PATH = "/paid/gpt4o-image/info";

    private FinalAtOnceServer() {
    }

    public static void main(String[] args) {
        String apiKey = args.length > 0 ? args[0] : SimulatorProcess.API_KEY;
        AtomicLong generated = new AtomicLong();
        AtomicLong infos = new AtomicLong();
        WireMockServer server = new WireMockServer(WireMockConfiguration.options()
                .port(0)
                .containerThreads(80)
                .jettyAcceptors(1)
                .gzipDisabled(true)
                .stubRequestLoggingDisabled(true)
                .notifier(new ConsoleNotifier(false))
                .disableRequestJournal()
                .extensions(new Generate(generated), new Info(infos), new Count(generated, infos)));
        server.stubFor(post(urlPathEqualTo(GENERATE_PATH))
                .withHeader("x-api-key", equalTo(apiKey))
                .willReturn(aResponse().withTransformers(Generate.NAME)));
        server.stubFor(post(urlPathEqualTo(INFO_PATH))
                .withHeader("x-api-key", equalTo(apiKey))
                .willReturn(aResponse().withTransformers(Info.NAME)));
        server.stubFor(get(urlPathEqualTo("/__bench/count")).willReturn(aResponse().withTransformers(Count.NAME)));
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"code\":404,\"msg\":\"not found\",\"data\":null}")));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "final-at-once-server-shutdown"));
        System.out.println("pg-store benchmark server listening on http://localhost:" + server.port());
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The API's envelope around {@code data}, with code 200. */
    private static ResponseDefinition success(Map<String, Object> data) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("code", 200);
        envelope.put("msg", "success");
        envelope.put("data", data);
        try {
            return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                    .withBody(MAPPER.writeValueAsBytes(envelope)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A transformer answering only the stub it is named by. */
    private abstract static class Named implements ResponseDefinitionTransformerV2 {
        @Override
        public boolean applyGlobally() {
            return false;
        }
    }

    /** The generate answer with a fresh 32-hex-digit task id. */
    private static final class Generate extends Named {
        static final String NAME = "bench-generate";
        private final AtomicLong generated;

        Generate(AtomicLong generated) {
            this.generated = generated;
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            generated.incrementAndGet();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String taskId = HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong());
            return success(Map.of("taskId", taskId));
        }

        @Override
        public String getName() {
            return NAME;
        }
    }

    /** The info answer: the task asked for, finished, with one result URL. */
    private static final class Info extends Named {
        static final String NAME = "bench-info";
        private final AtomicLong infos;

        Info(AtomicLong infos) {
            this.infos = infos;
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            infos.incrementAndGet();
            String taskId = serveEvent.getRequest().queryParameter("taskId").firstValue();
            long now = System.currentTimeMillis();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("taskId", taskId);
            data.put("paramJson", "{}");
            data.put("createTime", now - 200);
            data.put("completeTime", now);
            data.put("response", Map.of("resultUrls", List.of("https://cdn.example.com/" + taskId + ".png")));
            data.put("successFlag", 1);
            data.put("status", "SUCCESS");
            data.put("errorCode", null);
            data.put("errorMessage", null);
            data.put("progress", "1.00");
            return success(data);
        }

        @Override
        public String getName() {
            return NAME;
        }
    }

    private static final class Count extends Named {
        static final String NAME = "bench-count";
        private final AtomicLong generated;
        private final AtomicLong infos;

        Count(AtomicLong generated, AtomicLong infos) {
            this.generated = generated;
            this.infos = infos;
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            return success(Map.of("generateCalls", generated.get(), "infoCalls", infos.get()));
        }

        @Override
        public String getName() {
            return NAME;
        }
    }
}
