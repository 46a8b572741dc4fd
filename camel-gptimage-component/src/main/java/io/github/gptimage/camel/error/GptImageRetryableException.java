package io.github.gptimage.camel.error;

/**
 * Root of the errors that a later attempt may not meet: rate limits, maintenance, server errors and transport
 * failures. {@code onException(GptImageRetryableException.class).maximumRedeliveries(n)} retries exactly these.
 */
public class GptImageRetryableException extends GptImageException {

    public GptImageRetryableException(int code, String apiMessage, String taskId, String message, Throwable cause) {
        super(code, apiMessage, taskId, message, cause);
    }

    public GptImageRetryableException(int code, String apiMessage, String taskId) {
        super(code, apiMessage, taskId);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
