package io.github.gptimage.camel.error;

/**
 * The call did not get an answer: connect or read timeout, connection reset or refused. Retryable.
 */
public class GptImageTransportException extends GptImageRetryableException {

    public GptImageTransportException(String message, String taskId, Throwable cause) {
        super(0, null, taskId, message, cause);
    }
}
