package io.github.gptimage.camel.task;

import java.time.Instant;
import java.util.Map;

import io.github.gptimage.camel.api.GenerateRequest;

/**
 * A task the service accepted and the component has not completed yet.
 *
 * @param taskId             the service's task id
 * @param submittedAt        when the service accepted it
 * @param request            the request as sent
 * @param callbackToken      the unguessable token of its callback URL
 * @param correlationHeaders the message headers kept at submit time, set again on the completion exchange
 * @param schedule           how often it is polled
 * @param nextPollAt         when it is next due for an info call
 * @param pollCount          how many info calls were made for it
 */
public record PendingTask(
        String taskId,
        Instant submittedAt,
        GenerateRequest request,
        String callbackToken,
        Map<String, Object> correlationHeaders,
        PollSchedule schedule,
        Instant nextPollAt,
        int pollCount) {

    public PendingTask {
        correlationHeaders = correlationHeaders != null ? Map.copyOf(correlationHeaders) : Map.of();
    }

    /** This task, next due at {@code next}, after one more info call when {@code polled}. */
    public PendingTask dueAt(Instant next, boolean polled) {
        return new PendingTask(taskId, submittedAt, request, callbackToken, correlationHeaders, schedule, next,
                               polled ? pollCount + 1 : pollCount);
    }
}
