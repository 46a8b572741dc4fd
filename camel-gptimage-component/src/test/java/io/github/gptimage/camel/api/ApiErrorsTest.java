package io.github.gptimage.camel.api;

import java.time.Duration;

import io.github.gptimage.camel.error.GptImageException;
import io.github.gptimage.camel.error.GptImageRateLimitException;
import io.github.gptimage.camel.error.GptImageServerException;
import org.apache.hc.core5.http.message.BasicHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The edges of the error table outside the documented codes, and how {@code Retry-After} is read.
 */
class ApiErrorsTest {

    @ParameterizedTest
    @ValueSource(ints = { 501, 504, 599 })
    void any5xxIsARetryableServerError(int code) {
        GptImageException error = ApiErrors.forCode(code, "m", "t", null);

        assertThat(error).isExactlyInstanceOf(GptImageServerException.class);
        assertThat(error.isRetryable()).isTrue();
        assertThat(error.getTaskId()).isEqualTo("t");
    }

    @ParameterizedTest
    @ValueSource(ints = { 300, 403, 405, 600, 0 })
    void otherCodesAreTheFinalRootType(int code) {
        GptImageException error = ApiErrors.forCode(code, "m", null, null);

        assertThat(error).isExactlyInstanceOf(GptImageException.class);
        assertThat(error.isRetryable()).isFalse();
    }

    @Test
    void rateLimitKeepsRetryAfter() {
        GptImageException error = ApiErrors.forCode(429, "m", null, Duration.ofSeconds(3));

        assertThat(((GptImageRateLimitException) error).getRetryAfter()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void retryAfterInSecondsOrAsHttpDate() {
        assertThat(HttpGptImageClient.retryAfter(new BasicHeader("Retry-After", " 12 "))).isEqualTo(Duration.ofSeconds(12));
        assertThat(HttpGptImageClient.retryAfter(new BasicHeader("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")))
                .as("a date in the past means now").isEqualTo(Duration.ZERO);
        String inAMinute = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(60));
        assertThat(HttpGptImageClient.retryAfter(new BasicHeader("Retry-After", inAMinute)))
                .isBetween(Duration.ofSeconds(55), Duration.ofSeconds(60));
        assertThat(HttpGptImageClient.retryAfter(new BasicHeader("Retry-After", "soon"))).isNull();
        assertThat(HttpGptImageClient.retryAfter(null)).isNull();
    }
}
