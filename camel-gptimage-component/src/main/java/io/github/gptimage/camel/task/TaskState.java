package io.github.gptimage.camel.task;

/** Where a tracked task is in its life inside the store. */
public enum TaskState {
    /** Accepted by the service, not final yet: polled until it is. */
    PENDING,
    /** The service reported it final; kept, with that answer, until its completion exchange completed. */
    FINAL
}
