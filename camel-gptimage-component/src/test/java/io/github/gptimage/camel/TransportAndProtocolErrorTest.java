package io.github.gptimage.camel;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.http.Fault;
import io.github.gptimage.camel.error.GptImageProtocolException;
import io.github.gptimage.camel.error.GptImageRetryableException;
import io.github.gptimage.camel.error.GptImageSubmitInDoubtException;
import io.github.gptimage.camel.error.GptImageTransportException;
import org.apache.camel.Exchange;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.gptimage.camel.ApiStubs.GENERATE_PATH;
import static io.github.gptimage.camel.ApiStubs.INFO_PATH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Answers that are not the API's envelope are final protocol errors (the call may have been acted on). A generate
 * that got no answer after its request was sent (response timeout, reset, closed, cut short) may have created and paid
 * a task: a final {@link GptImageSubmitInDoubtException}. A generate that never reached the service (refused, connect
 * timeout, unknown host, no pooled connection in time) and every failed info call are retryable transport errors.
 */
class TransportAndProtocolErrorTest extends GptImageTestSupport {

    @ParameterizedTest
    @ValueSource(strings = { "{not json", "<html>ok</html>", "", "[1,2]", "{\"msg\":\"no code\"}" })
    void http200WithoutEnvelopeIsAFinalProtocolError(String body) {
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(aResponse().withStatus(200).withBody(body)));

        Exchange exchange = send(generateUri(), "A cat");

        GptImageProtocolException error = failure(exchange, GptImageProtocolException.class);
        assertThat(error.isRetryable()).isFalse();
        assertThat(error).isNotInstanceOf(GptImageRetryableException.class);
        assertThat(error.getMessage()).contains("not its JSON envelope");
        assertThat(error.getCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"code\":200,\"msg\":\"success\",\"data\":{}}",
            "{\"code\":200,\"msg\":\"success\",\"data\":null}", "{\"code\":200,\"msg\":\"success\"}",
            "{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":null}}" })
    void successEnvelopeWithoutTaskIdIsAProtocolError(String body) {
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(aResponse().withStatus(200).withBody(body)));

        Exchange exchange = send(generateUri(), "A cat");

        GptImageProtocolException error = failure(exchange, GptImageProtocolException.class);
        assertThat(error.isRetryable()).isFalse();
        assertThat(error.getMessage()).contains("no data.taskId");
    }

    /** Reset, closed without an answer, an answer cut short by a malformed chunk, garbage then closed. */
    @ParameterizedTest
    @EnumSource(value = Fault.class, names = { "CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE",
            "MALFORMED_RESPONSE_CHUNK", "RANDOM_DATA_THEN_CLOSE" })
    void generateBrokenAfterSendingIsAFinalSubmitInDoubt(Fault fault) {
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(aResponse().withFault(fault)));

        Exchange exchange = send(generateUri(), "A cat");

        assertSubmitInDoubt(exchange);
        api.verify(1, postRequestedFor(urlPathEqualTo(GENERATE_PATH)));
    }

    @Test
    void slowGenerateAnswerPastSubmitTimeoutIsAFinalSubmitInDoubt() {
        // HttpClient checks timeouts once a second: the 500 ms submitTimeout fires within 1.5 s, before the answer
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(aResponse().withStatus(200).withFixedDelay(3000)
                .withBody("{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"late\"}}")));

        long start = System.nanoTime();
        Exchange exchange = send(generateUri("submitTimeout=500"), "A cat");
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        GptImageSubmitInDoubtException error = assertSubmitInDoubt(exchange);
        assertThat(error.getMessage()).contains("no answer within submitTimeout PT0.5S");
        assertThat(elapsedMillis).as("gave up at the submit timeout, not at the answer").isLessThan(2800);
        api.verify(1, postRequestedFor(urlPathEqualTo(GENERATE_PATH)));
    }

    @Test
    void requestTimeoutDoesNotCutAGenerateShort() {
        // requestTimeout is for the free calls: a generate answered after it still gets its task id
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(aResponse().withStatus(200).withFixedDelay(1000)
                .withBody("{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"slow-but-seen\"}}")));

        Exchange exchange = send(generateUri("requestTimeout=300&trackCompletion=false"), "A cat");

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getBody()).isEqualTo("slow-but-seen");
    }

    @Test
    void theDefaultSubmitTimeoutIsFiveMinutes() {
        GptImageEndpoint endpoint = context.getEndpoint(generateUri(), GptImageEndpoint.class);

        assertThat(endpoint.submitTimeout()).hasMinutes(5);
        assertThat(endpoint.requestTimeout()).hasSeconds(60);
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = { "CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE" })
    void brokenInfoCallIsARetryableTransportError(Fault fault) {
        api.stubFor(post(urlPathEqualTo(INFO_PATH)).willReturn(aResponse().withFault(fault)));

        Exchange exchange = send(uri("info", null), "task-broken");

        GptImageTransportException error = failure(exchange, GptImageTransportException.class);
        assertThat(error.isRetryable()).isTrue();
        assertThat(error.getTaskId()).isEqualTo("task-broken");
        assertThat(error.getCause()).isNotNull();
    }

    @Test
    void slowInfoAnswerIsARetryableTransportErrorWithTheTaskId() {
        api.stubFor(post(urlPathEqualTo(INFO_PATH)).willReturn(aResponse().withStatus(200).withFixedDelay(2000)
                .withBody("{\"code\":200,\"msg\":\"success\",\"data\":null}")));

        Exchange exchange = send(uri("info", "requestTimeout=300"), "task-slow");

        GptImageTransportException error = failure(exchange, GptImageTransportException.class);
        assertThat(error.isRetryable()).isTrue();
        assertThat(error.getTaskId()).isEqualTo("task-slow");
    }

    @Test
    void refusedConnectionIsARetryableTransportError() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        Exchange exchange = send("gptimage:generate?apiKey=RAW(k)&connectTimeout=1000&baseUrl=http://localhost:" + closedPort,
                "A cat");

        assertThat(failure(exchange, GptImageTransportException.class).isRetryable()).isTrue();
    }

    @Test
    void connectTimeoutIsARetryableTransportError() throws Exception {
        // a listening socket that never accepts, its accept queue filled: further connections hang in the handshake
        try (ServerSocket silent = new ServerSocket()) {
            silent.bind(new InetSocketAddress("127.0.0.1", 0), 1);
            List<Socket> fillers = fillAcceptQueue(silent.getLocalPort());
            try {
                long start = System.nanoTime();
                Exchange exchange = send("gptimage:generate?apiKey=RAW(k)&connectTimeout=500&baseUrl=http://127.0.0.1:"
                                         + silent.getLocalPort(), "A cat");
                long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

                GptImageTransportException error = failure(exchange, GptImageTransportException.class);
                assertThat(error.isRetryable()).isTrue();
                assertThat(error).hasCauseInstanceOf(java.net.SocketTimeoutException.class);
                assertThat(elapsedMillis).as("gave up at the connect timeout").isBetween(400L, 5000L);
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    /** Connects until a connection no longer completes at once: the backlog of {@code port} is full. */
    private static List<Socket> fillAcceptQueue(int port) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                sockets.add(socket);
            } catch (java.io.IOException full) {
                socket.close();
                return sockets;
            }
        }
        return sockets;
    }

    @Test
    void unknownHostIsARetryableTransportError() throws Exception {
        // a client whose resolver knows no host: the name lookup fails before anything is sent (no DNS query leaves)
        CloseableHttpAsyncClient client = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setDnsResolver(new org.apache.hc.client5.http.SystemDefaultDnsResolver() {
                            @Override
                            public java.net.InetAddress[] resolve(String host) throws UnknownHostException {
                                throw new UnknownHostException(host);
                            }
                        }).build())
                .build();
        try {
            context.getRegistry().bind("noDns", client);

            Exchange exchange = send("gptimage:generate?apiKey=RAW(k)&httpClient=#noDns"
                                     + "&baseUrl=http://api.gptimage.invalid", "A cat");

            GptImageTransportException error = failure(exchange, GptImageTransportException.class);
            assertThat(error.isRetryable()).isTrue();
            assertThat(error).hasRootCauseInstanceOf(UnknownHostException.class);
        } finally {
            client.close(CloseMode.GRACEFUL);
        }
    }

    @Test
    void noPooledConnectionInTimeIsARetryableTransportError() throws Exception {
        // one connection in the pool, held by a slow generate: the second one waits for a lease, then gives up unsent
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(aResponse().withStatus(200).withFixedDelay(2000)
                .withBody("{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"holder\"}}")));
        CloseableHttpAsyncClient client = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(1).setMaxConnPerRoute(1)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.ofSeconds(5)).build())
                        .build())
                .build();
        try {
            context.getRegistry().bind("onePool", client);
            CompletableFuture<Exchange> holder = CompletableFuture.supplyAsync(
                    () -> send(generateUri("httpClient=#onePool&trackCompletion=false"), "A cat"));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> api.findAll(postRequestedFor(urlPathEqualTo(GENERATE_PATH))).size() == 1);

            Exchange waiting = send(generateUri("httpClient=#onePool&submitTimeout=300&trackCompletion=false"), "A dog");

            GptImageTransportException error = failure(waiting, GptImageTransportException.class);
            assertThat(error.isRetryable()).isTrue();
            assertThat(holder.get(10, TimeUnit.SECONDS).getException()).isNull();
            api.verify(1, postRequestedFor(urlPathEqualTo(GENERATE_PATH)));
        } finally {
            client.close(CloseMode.GRACEFUL);
        }
    }

    private static GptImageSubmitInDoubtException assertSubmitInDoubt(Exchange exchange) {
        GptImageSubmitInDoubtException error = failure(exchange, GptImageSubmitInDoubtException.class);
        assertThat(error.isRetryable()).isFalse();
        assertThat(error).isNotInstanceOf(GptImageRetryableException.class);
        assertThat(error.getMessage()).contains("the task may have been created and paid for")
                .contains("a retry may pay twice");
        assertThat(error.getIdempotencyKey()).isNull();
        assertThat(error.getTaskId()).isNull();
        assertThat(error.getCause()).isNotNull();
        return error;
    }
}
