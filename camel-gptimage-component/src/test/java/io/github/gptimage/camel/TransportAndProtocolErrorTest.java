package io.github.gptimage.camel;

import java.net.ServerSocket;

import com.github.tomakehurst.wiremock.http.Fault;
import io.github.gptimage.camel.error.GptImageProtocolException;
import io.github.gptimage.camel.error.GptImageRetryableException;
import io.github.gptimage.camel.error.GptImageTransportException;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.gptimage.camel.ApiStubs.GENERATE_PATH;
import static io.github.gptimage.camel.ApiStubs.INFO_PATH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Answers that are not the API's envelope are final protocol errors (the call may have been acted on), while calls
 * that got no answer at all (reset, refused, timed out) are retryable transport errors.
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

    @Test
    void connectionResetIsARetryableTransportError() {
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        Exchange exchange = send(generateUri(), "A cat");

        GptImageTransportException error = failure(exchange, GptImageTransportException.class);
        assertThat(error.isRetryable()).isTrue();
        assertThat(error).isInstanceOf(GptImageRetryableException.class);
        assertThat(error.getCode()).isZero();
        assertThat(error.getCause()).isNotNull();
    }

    @Test
    void emptyResponseIsARetryableTransportError() {
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));

        Exchange exchange = send(generateUri(), "A cat");

        assertThat(failure(exchange, GptImageTransportException.class).isRetryable()).isTrue();
    }

    @Test
    void slowAnswerPastRequestTimeoutIsARetryableTransportError() {
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(aResponse().withStatus(200).withFixedDelay(2000)
                .withBody("{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"late\"}}")));

        long start = System.nanoTime();
        Exchange exchange = send(generateUri("requestTimeout=500"), "A cat");
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        GptImageTransportException error = failure(exchange, GptImageTransportException.class);
        assertThat(error.isRetryable()).isTrue();
        assertThat(error.getMessage()).contains(GENERATE_PATH);
        assertThat(elapsedMillis).as("gave up at the request timeout, not at the answer").isLessThan(1900);
    }

    @Test
    void slowInfoAnswerCarriesTheTaskId() {
        api.stubFor(post(urlPathEqualTo(INFO_PATH)).willReturn(aResponse().withStatus(200).withFixedDelay(2000)
                .withBody("{\"code\":200,\"msg\":\"success\",\"data\":null}")));

        Exchange exchange = send(uri("info", "requestTimeout=300"), "task-slow");

        assertThat(failure(exchange, GptImageTransportException.class).getTaskId()).isEqualTo("task-slow");
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
}
