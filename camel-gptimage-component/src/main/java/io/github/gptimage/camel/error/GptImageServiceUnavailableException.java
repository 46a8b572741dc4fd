package io.github.gptimage.camel.error;

/**
 * Code 455 (maintenance) or 550 (queue full): the service cannot take the call now. Retryable.
 */
public class GptImageServiceUnavailableException extends GptImageRetryableException {

    public GptImageServiceUnavailableException(int code, String apiMessage, String taskId) {
        super(code, apiMessage, taskId);
    }
}
