package io.github.gptimage.camel.error;

/**
 * Code 500 or another 5xx: the service failed. Retryable.
 */
public class GptImageServerException extends GptImageRetryableException {

    public GptImageServerException(int code, String apiMessage, String taskId) {
        super(code, apiMessage, taskId);
    }
}
