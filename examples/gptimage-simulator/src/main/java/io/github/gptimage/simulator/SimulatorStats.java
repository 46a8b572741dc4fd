package io.github.gptimage.simulator;

/**
 * How often each endpoint was called since start (or the last reset). Every call counts, also the
 * ones answered with an error or a fault.
 */
public record SimulatorStats(long generateCalls, long infoCalls, long fileDownloads, long tasksCreated,
                             long callbacksDelivered, long callbacksFailed) {
}
