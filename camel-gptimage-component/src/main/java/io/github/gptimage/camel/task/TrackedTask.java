package io.github.gptimage.camel.task;

import java.time.Instant;
import java.util.Map;

import io.github.gptimage.camel.api.GenerateRequest;
import io.github.gptimage.camel.api.TaskInfo;

/**
 * A task the service accepted, as the task store keeps it until its completion exchange completed. Immutable: every
 * change is a new value with the same {@code version}, which the store's compare-and-set turns into
 * {@code version + 1}.
 *
 * @param taskId             the service's task id
 * @param account            the account whose key polls it: a name, never the key itself
 * @param submittedAt        when the service accepted it
 * @param request            the request as sent
 * @param callbackToken      the SHA-256 digest of its callback URL's token ({@link CallbackTokens#digest}), or null
 *                           without callbacks
 * @param correlationHeaders message headers kept at submit time (String, Number or Boolean values), set again on the
 *                           completion exchange
 * @param schedule           how it is polled: the schedule of the endpoint that submitted it
 * @param idempotencyKey     the route's key for the submit, or null
 * @param credits            the credits it is expected to cost: the submitting endpoint's {@code creditsPerImage}
 *                           times its variants
 * @param state              pending or final
 * @param dueAt              PENDING: its next poll; FINAL: when it may next be delivered. While leased, the end of
 *                           the lease
 * @param leaseOwner         the node holding its lease, or null
 * @param pollCount          how many info calls were made for it
 * @param progress           the progress the service reported last, or null
 * @param progressAt         when that progress was reported, or null
 * @param finalInfo          FINAL: the service's final answer; null while pending
 * @param finalAt            FINAL: when the final answer was recorded
 * @param deliveries         how many completion exchanges were started for it and did not complete
 * @param waitingNode        the node where an exchange waits for it, or null
 * @param waitingUntil       until when that exchange waits, or null
 * @param version            the store's version of this value
 */
public record TrackedTask(
        String taskId,
        String account,
        Instant submittedAt,
        GenerateRequest request,
        String callbackToken,
        Map<String, Object> correlationHeaders,
        PollSchedule schedule,
        String idempotencyKey,
        long credits,
        TaskState state,
        Instant dueAt,
        String leaseOwner,
        int pollCount,
        Double progress,
        Instant progressAt,
        TaskInfo finalInfo,
        Instant finalAt,
        int deliveries,
        String waitingNode,
        Instant waitingUntil,
        long version) {

    public TrackedTask {
        correlationHeaders = correlationHeaders != null ? Map.copyOf(correlationHeaders) : Map.of();
    }

    /** A task just accepted, first due after its schedule's initial delay. */
    public static TrackedTask accepted(String taskId, String account, Instant submittedAt, GenerateRequest request,
                                       String callbackToken, Map<String, Object> correlationHeaders,
                                       PollSchedule schedule, String idempotencyKey) {
        return new TrackedTask(taskId, account, submittedAt, request, callbackToken, correlationHeaders, schedule,
                idempotencyKey, 0, TaskState.PENDING, schedule.firstPoll(submittedAt), null, 0, null, null, null, null,
                0, null, null, 0);
    }

    /** This task expected to cost {@code expectedCredits}. */
    public TrackedTask withCredits(long expectedCredits) {
        return new TrackedTask(taskId, account, submittedAt, request, callbackToken, correlationHeaders, schedule,
                idempotencyKey, expectedCredits, state, dueAt, leaseOwner, pollCount, progress, progressAt, finalInfo,
                finalAt, deliveries, waitingNode, waitingUntil, version);
    }

    /** This task with the id the service gave it: for a task built before its generate was answered. */
    public TrackedTask withTaskId(String id) {
        return new TrackedTask(id, account, submittedAt, request, callbackToken, correlationHeaders, schedule,
                idempotencyKey, credits, state, dueAt, leaseOwner, pollCount, progress, progressAt, finalInfo, finalAt,
                deliveries, waitingNode, waitingUntil, version);
    }

    /** True while another node holds an unexpired lease on it. */
    public boolean leasedByOther(String node, Instant now) {
        return leaseOwner != null && !leaseOwner.equals(node) && dueAt.isAfter(now);
    }

    /** True while an exchange on another node waits for it. */
    public boolean awaitedOn(String otherThan, Instant now) {
        return waitingNode != null && !waitingNode.equals(otherThan) && waitingUntil != null
               && waitingUntil.isAfter(now);
    }

    /** Leased to {@code owner} until {@code until}. */
    public TrackedTask leased(Instant until, String owner) {
        return new TrackedTask(taskId, account, submittedAt, request, callbackToken, correlationHeaders, schedule,
                idempotencyKey, credits, state, until, owner, pollCount, progress, progressAt, finalInfo, finalAt,
                deliveries, waitingNode, waitingUntil, version);
    }

    /** Unleased, next due at {@code next}. */
    public TrackedTask dueAt(Instant next) {
        return leased(next, null);
    }

    /** After one more info call that found it still running: next due at {@code next}. */
    public TrackedTask polled(Instant next, Double newProgress, Instant at) {
        return new TrackedTask(taskId, account, submittedAt, request, callbackToken, correlationHeaders, schedule,
                idempotencyKey, credits, state, next, null, pollCount + 1, newProgress != null ? newProgress : progress,
                newProgress != null ? at : progressAt, finalInfo, finalAt, deliveries, waitingNode, waitingUntil,
                version);
    }

    /** Final with {@code info}, recorded at {@code at}; due (or leased to {@code owner}) until {@code due}. */
    public TrackedTask finished(TaskInfo info, Instant at, Instant due, String owner, boolean polled) {
        return new TrackedTask(taskId, account, submittedAt, request, callbackToken, correlationHeaders, schedule,
                idempotencyKey, credits, TaskState.FINAL, due, owner, polled ? pollCount + 1 : pollCount, progress,
                progressAt, info, at, deliveries, waitingNode, waitingUntil, version);
    }

    /** A completion exchange for it failed unhandled: delivered again from {@code next}, as a redelivery. */
    public TrackedTask deliveryFailed(Instant next) {
        return new TrackedTask(taskId, account, submittedAt, request, callbackToken, correlationHeaders, schedule,
                idempotencyKey, credits, state, next, null, pollCount, progress, progressAt, finalInfo, finalAt,
                deliveries + 1, waitingNode, waitingUntil, version);
    }

    /** Awaited by an exchange on {@code node} until {@code until}. */
    public TrackedTask awaitedBy(String node, Instant until) {
        return new TrackedTask(taskId, account, submittedAt, request, callbackToken, correlationHeaders, schedule,
                idempotencyKey, credits, state, dueAt, leaseOwner, pollCount, progress, progressAt, finalInfo, finalAt,
                deliveries, node, until, version);
    }

    /** This value as the store keeps it at {@code newVersion}. */
    public TrackedTask withVersion(long newVersion) {
        return new TrackedTask(taskId, account, submittedAt, request, callbackToken, correlationHeaders, schedule,
                idempotencyKey, credits, state, dueAt, leaseOwner, pollCount, progress, progressAt, finalInfo, finalAt,
                deliveries, waitingNode, waitingUntil, newVersion);
    }
}
