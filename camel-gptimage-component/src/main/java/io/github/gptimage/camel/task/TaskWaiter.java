package io.github.gptimage.camel.task;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A waiting exchange registered for one task. Settled once: by the task's completion, its timeout or its account's
 * refused key, whichever comes first.
 */
final class TaskWaiter {

    private final String account;
    private final CompletionTarget target;
    private final long deadlineNanos;
    private final AtomicBoolean settled = new AtomicBoolean();
    private volatile ScheduledFuture<?> timeout;

    TaskWaiter(String account, CompletionTarget target, long deadlineNanos) {
        this.account = account;
        this.target = target;
        this.deadlineNanos = deadlineNanos;
    }

    String account() {
        return account;
    }

    CompletionTarget target() {
        return target;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    void timeout(ScheduledFuture<?> timeout) {
        this.timeout = timeout;
    }

    /** True for the one caller that settles this waiter. */
    boolean settle() {
        if (!settled.compareAndSet(false, true)) {
            return false;
        }
        ScheduledFuture<?> pending = timeout;
        if (pending != null) {
            pending.cancel(false);
        }
        return true;
    }
}
