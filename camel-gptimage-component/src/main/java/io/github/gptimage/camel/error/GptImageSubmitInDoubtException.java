package io.github.gptimage.camel.error;

/**
 * The answer to a generate was lost after the request was sent (a read timeout, a connection reset): the service may
 * have created the task, and paid for it. Final, so that redelivery does not pay twice; with an idempotency key, a
 * repeated submit with that key fails the same way unless the endpoint opts in with {@code resubmitInDoubt}, and with
 * callbacks on, a callback for the task still completes it.
 */
public class GptImageSubmitInDoubtException extends GptImageException {

    private final String idempotencyKey;

    public GptImageSubmitInDoubtException(String message, String idempotencyKey, Throwable cause) {
        super(0, null, null, message, cause);
        this.idempotencyKey = idempotencyKey;
    }

    /** The idempotency key of the submit, or null when it had none. */
    public String getIdempotencyKey() {
        return idempotencyKey;
    }
}
