package io.github.gptimage.camel.task;

import java.time.Instant;

/**
 * A generate with an idempotency key, recorded before it is sent, so that a repeated submit with that key sends
 * nothing, and an answer lost in flight leaves a trace.
 *
 * @param account        the account it is submitted with
 * @param idempotencyKey the route's key, unique per account
 * @param startedAt      when it was recorded
 * @param state          sending, in doubt, or accepted
 * @param taskId         the task the service created, once accepted; null before
 * @param template       the task as it will be tracked once accepted, without its task id: a callback for an attempt
 *                       in doubt creates the task from it
 */
public record SubmitAttempt(String account, String idempotencyKey, Instant startedAt, AttemptState state,
                            String taskId, TrackedTask template) {

    /** Where a submit is. */
    public enum AttemptState {
        /** Recorded; its generate is under way. */
        SENDING,
        /** Its generate's answer was lost after the request was sent: the task may have been created and paid. */
        IN_DOUBT,
        /** The service accepted it as {@link SubmitAttempt#taskId()}. */
        ACCEPTED
    }

    /** The attempt once the service accepted it as {@code acceptedTaskId}. */
    public SubmitAttempt accepted(String acceptedTaskId) {
        return new SubmitAttempt(account, idempotencyKey, startedAt, AttemptState.ACCEPTED, acceptedTaskId, template);
    }

    /** The attempt with its answer lost. */
    public SubmitAttempt inDoubt() {
        return new SubmitAttempt(account, idempotencyKey, startedAt, AttemptState.IN_DOUBT, taskId, template);
    }

    /** The callback token its generate carried, or null. */
    public String callbackToken() {
        return template.callbackToken();
    }
}
