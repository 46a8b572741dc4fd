package io.github.gptimage.camel.error;

/**
 * A generate call failed after its request may have reached the service: no answer within {@code submitTimeout}, the
 * connection closed or reset after the request was sent, or an answer cut short. The service may have created the
 * task, and charged for it, without the component learning its id. Final, not retryable: a retry may pay twice. With
 * an idempotency key and callbacks on, a callback for the task still completes it, and a retry with the key waits for
 * that instead of paying again; without them the component has no record of the task: look for it in the provider's
 * task list before submitting again.
 * <p>
 * A failure before anything was sent (connection refused, connect timeout, unknown host, no pooled connection in
 * time) is a retryable {@link GptImageTransportException} instead.
 */
public final class GptImageSubmitInDoubtException extends GptImageException {

    private final String idempotencyKey;

    public GptImageSubmitInDoubtException(String message, Throwable cause) {
        this(message, null, cause);
    }

    /**
     * @param idempotencyKey the key the request was sent with, to find or deduplicate the task; null when none was sent
     */
    public GptImageSubmitInDoubtException(String message, String idempotencyKey, Throwable cause) {
        super(0, null, null, message, cause);
        this.idempotencyKey = idempotencyKey;
    }

    /** The idempotency key the request was sent with, or null when it had none. */
    public String getIdempotencyKey() {
        return idempotencyKey;
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
