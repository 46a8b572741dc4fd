package io.github.gptimage.simulator;

/**
 * How often each endpoint was called since start (or the last reset). Every call counts, also the
 * ones answered with an error or a fault. {@code tasksCreated} counts the paid tasks, also those
 * whose generate answer was lost ({@code [lost-answer]}, {@code [lost-answer-timeout]}, {@code [slow]}).
 * Callbacks count per attempt: {@code callbacksDelivered} the attempts answered 2xx,
 * {@code callbacksFailed} the failed ones (non-2xx, timeout, no connection), retried or not, and
 * {@code callbacksAbandoned} the deliveries given up after their last retry failed.
 */
public record SimulatorStats(long generateCalls, long infoCalls, long fileDownloads, long tasksCreated,
                             long callbacksDelivered, long callbacksFailed, long callbacksAbandoned) {
}
