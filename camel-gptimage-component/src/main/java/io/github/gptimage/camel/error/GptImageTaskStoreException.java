package io.github.gptimage.camel.error;

/**
 * The task store failed (a database outage). Retryable. When {@link #getTaskId()} is set, the service had accepted the
 * task before the store failed: the component keeps it and records it once the store answers again, and a retry with
 * the same idempotency key gets it without paying again (without a key, a retry submits and pays again).
 */
public class GptImageTaskStoreException extends GptImageRetryableException {

    public GptImageTaskStoreException(String taskId, String message, Throwable cause) {
        super(0, null, taskId, message, cause);
    }
}
