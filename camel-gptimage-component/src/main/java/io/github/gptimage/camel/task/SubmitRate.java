package io.github.gptimage.camel.task;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client-side submit rate of an account on this node: at most {@code perSecond} generates a second, evenly spaced.
 * A submit takes the next free slot; the caller schedules it for then (on the task service's scheduler, holding no
 * thread) rather than sending it at once to be refused with a 429.
 */
public final class SubmitRate {

    private final double perSecond;
    private final long intervalNanos;
    private final AtomicLong nextSlot = new AtomicLong(Long.MIN_VALUE);

    public SubmitRate(double perSecond) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("A submit rate is above 0 a second, not " + perSecond);
        }
        this.perSecond = perSecond;
        this.intervalNanos = Math.max(1, Math.round(1_000_000_000d / perSecond));
    }

    public double perSecond() {
        return perSecond;
    }

    /** Takes the next free slot: how long from now the submit has to wait for it (zero when it may go now). */
    public Duration reserve() {
        long now = System.nanoTime();
        while (true) {
            long next = nextSlot.get();
            long slot = next == Long.MIN_VALUE || next - now < 0 ? now : next;
            if (nextSlot.compareAndSet(next, slot + intervalNanos)) {
                return Duration.ofNanos(slot - now);
            }
        }
    }
}
