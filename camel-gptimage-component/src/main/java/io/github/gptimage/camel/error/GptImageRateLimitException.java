package io.github.gptimage.camel.error;

import java.time.Duration;

/**
 * Code 429: the call was rejected (not queued) by the rate limit. Retryable, preferably after {@link #getRetryAfter()}.
 */
public class GptImageRateLimitException extends GptImageRetryableException {

    private final Duration retryAfter;

    public GptImageRateLimitException(int code, String apiMessage, String taskId, Duration retryAfter) {
        super(code, apiMessage, taskId);
        this.retryAfter = retryAfter;
    }

    /** The wait the service asked for in {@code Retry-After}, or null when it sent none. */
    public Duration getRetryAfter() {
        return retryAfter;
    }
}
