package io.github.gptimage.camel.error;

/**
 * A submit with the same idempotency key is under way, on this node or another, or its answer was lost while a
 * callback may still report the task: nothing was sent. Retryable: a later attempt gets the task the first one
 * created.
 */
public class GptImageSubmitInProgressException extends GptImageRetryableException {

    private final String idempotencyKey;

    public GptImageSubmitInProgressException(String idempotencyKey, String why) {
        super(0, null, null, "A GPT image submit with idempotency key '" + idempotencyKey + "' " + why
                             + ": nothing was sent; a later attempt gets its task", null);
        this.idempotencyKey = idempotencyKey;
    }

    public String getIdempotencyKey() {
        return idempotencyKey;
    }
}
