package io.github.gptimage.camel;

import java.time.Duration;
import java.util.stream.Stream;

import io.github.gptimage.camel.error.GptImageAuthenticationException;
import io.github.gptimage.camel.error.GptImageBadRequestException;
import io.github.gptimage.camel.error.GptImageException;
import io.github.gptimage.camel.error.GptImageInsufficientCreditsException;
import io.github.gptimage.camel.error.GptImageNotFoundException;
import io.github.gptimage.camel.error.GptImageRateLimitException;
import io.github.gptimage.camel.error.GptImageRetryableException;
import io.github.gptimage.camel.error.GptImageServerException;
import io.github.gptimage.camel.error.GptImageServiceUnavailableException;
import io.github.gptimage.camel.error.GptImageSourceImageException;
import io.github.gptimage.camel.error.GptImageValidationException;
import org.apache.camel.Exchange;
import org.apache.camel.spi.HttpResponseAware;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.gptimage.camel.ApiStubs.GENERATE_PATH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every row of the API's error table maps to its exception type, whether the code arrives as the HTTP status (with the
 * JSON envelope or with an HTML error page) or, as the service usually does, inside an HTTP 200 envelope; retryable
 * and final errors are told apart, and each carries the code and the service's message.
 */
class ApiErrorMappingTest extends GptImageTestSupport {

    static Stream<Arguments> errorTable() {
        return Stream.of(
                Arguments.of(400, GptImageBadRequestException.class, false),
                Arguments.of(401, GptImageAuthenticationException.class, false),
                Arguments.of(402, GptImageInsufficientCreditsException.class, false),
                Arguments.of(404, GptImageNotFoundException.class, false),
                Arguments.of(422, GptImageValidationException.class, false),
                Arguments.of(429, GptImageRateLimitException.class, true),
                Arguments.of(451, GptImageSourceImageException.class, false),
                Arguments.of(455, GptImageServiceUnavailableException.class, true),
                Arguments.of(550, GptImageServiceUnavailableException.class, true),
                Arguments.of(500, GptImageServerException.class, true),
                Arguments.of(502, GptImageServerException.class, true),
                Arguments.of(503, GptImageServerException.class, true),
                Arguments.of(418, GptImageException.class, false));
    }

    private static String envelope(int code, String msg) {
        return "{\"code\":" + code + ",\"msg\":\"" + msg + "\",\"data\":null}";
    }

    private Exchange generateAgainst(int httpStatus, String contentType, String body) {
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(aResponse().withStatus(httpStatus)
                .withHeader("Content-Type", contentType).withBody(body)));
        Exchange exchange = send(generateUri(), "A cat");
        api.verify(1, postRequestedFor(urlPathEqualTo(GENERATE_PATH)));
        return exchange;
    }

    private static void assertMapped(
            GptImageException error, int code, Class<? extends GptImageException> type, boolean retryable) {
        assertThat(error).isExactlyInstanceOf(type);
        assertThat(error.getCode()).isEqualTo(code);
        assertThat(error.isRetryable()).isEqualTo(retryable);
        assertThat(error instanceof GptImageRetryableException).isEqualTo(retryable);
        assertThat(error).isInstanceOf(HttpResponseAware.class);
        assertThat(((HttpResponseAware) error).getHttpResponseCode()).isEqualTo(code);
        assertThat(error.getTaskId()).isNull();
    }

    @ParameterizedTest(name = "HTTP 200 with body code {0} -> {1}")
    @MethodSource("errorTable")
    void bodyCodeInsideHttp200(int code, Class<? extends GptImageException> type, boolean retryable) {
        Exchange exchange = generateAgainst(200, "application/json", envelope(code, "service says " + code));

        GptImageException error = failure(exchange, GptImageException.class);
        assertMapped(error, code, type, retryable);
        assertThat(error.getApiMessage()).isEqualTo("service says " + code);
        assertThat(error.getMessage()).contains(String.valueOf(code)).contains("service says " + code);
        assertThat(exchange.getMessage().getHeaders()).doesNotContainKey(GptImageConstants.TASK_ID);
    }

    @ParameterizedTest(name = "HTTP {0} with JSON envelope -> {1}")
    @MethodSource("errorTable")
    void httpStatusWithJsonEnvelope(int code, Class<? extends GptImageException> type, boolean retryable) {
        Exchange exchange = generateAgainst(code, "application/json", envelope(code, "service says " + code));

        GptImageException error = failure(exchange, GptImageException.class);
        assertMapped(error, code, type, retryable);
        assertThat(error.getApiMessage()).isEqualTo("service says " + code);
    }

    @ParameterizedTest(name = "HTTP {0} with an HTML page -> {1}")
    @MethodSource("errorTable")
    void httpStatusWithHtmlPage(int code, Class<? extends GptImageException> type, boolean retryable) {
        Exchange exchange = generateAgainst(code, "text/html",
                "<html><body><h1>" + code + " gateway error</h1></body></html>");

        assertMapped(failure(exchange, GptImageException.class), code, type, retryable);
    }

    @Test
    void httpStatusWinsOverAnEnvelopeThatClaimsSuccess() {
        Exchange exchange = generateAgainst(503, "application/json", envelope(200, "success"));

        assertMapped(failure(exchange, GptImageException.class), 503, GptImageServerException.class, true);
    }

    @Test
    void bodyCodeWinsOverTheHttpStatus() {
        Exchange exchange = generateAgainst(500, "application/json", envelope(401, "bad key"));

        assertMapped(failure(exchange, GptImageException.class), 401, GptImageAuthenticationException.class, false);
    }

    @ParameterizedTest(name = "Retry-After on HTTP {0}")
    @ValueSource(ints = { 200, 429 })
    void rateLimitCarriesRetryAfter(int httpStatus) {
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(aResponse().withStatus(httpStatus)
                .withHeader("Content-Type", "application/json").withHeader("Retry-After", "7")
                .withBody(envelope(429, "too many requests"))));

        Exchange exchange = send(generateUri(), "A cat");

        GptImageRateLimitException error = failure(exchange, GptImageRateLimitException.class);
        assertThat(error.getRetryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(error.getApiMessage()).isEqualTo("too many requests");
    }

    @Test
    void rateLimitWithoutRetryAfterHasNone() {
        Exchange exchange = generateAgainst(429, "application/json", envelope(429, "slow down"));

        assertThat(failure(exchange, GptImageRateLimitException.class).getRetryAfter()).isNull();
    }

    @Test
    void infoErrorsCarryTheTaskId() {
        stubInfo(200, envelope(500, "Internal Error"));

        Exchange exchange = send(uri("info", null), "task-77");

        GptImageServerException error = failure(exchange, GptImageServerException.class);
        assertThat(error.getTaskId()).isEqualTo("task-77");
        assertThat(error.getMessage()).contains("task-77");
    }
}
