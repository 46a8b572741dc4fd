package io.github.gptimage.camel.task;

import java.time.Duration;
import java.time.Instant;

/**
 * When a task is polled: first after {@code initialDelay}, then at intervals that grow by half each time up to
 * {@code maxInterval}. No interval is shorter than {@link #MIN_INTERVAL}, so one task never gets more than 3 info
 * calls a second (the API's limit). With callbacks on, polling is the safety net and runs {@link #SAFETY_NET_FACTOR}
 * times slower.
 */
public record PollSchedule(Duration initialDelay, Duration maxInterval, boolean safetyNet) {

    /** 3 calls a second at most. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(334);
    static final int SAFETY_NET_FACTOR = 4;

    public PollSchedule {
        initialDelay = atLeastFloor(initialDelay);
        maxInterval = atLeastFloor(maxInterval);
        if (maxInterval.compareTo(initialDelay) < 0) {
            maxInterval = initialDelay;
        }
    }

    private static Duration atLeastFloor(Duration value) {
        return value == null || value.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : value;
    }

    /** True when {@code requested} is below the 3-calls-a-second floor and would be raised. */
    public static boolean belowFloor(Duration requested) {
        return requested.compareTo(MIN_INTERVAL) < 0;
    }

    public Instant firstPoll(Instant submittedAt) {
        return submittedAt.plus(scaled(initialDelay));
    }

    /** The time of the next poll after the {@code pollCount}-th one, made at {@code now}. */
    public Instant nextPoll(Instant now, int pollCount) {
        double growth = Math.pow(1.5, Math.min(pollCount, 20));
        long millis = Math.min((long) (initialDelay.toMillis() * growth), maxInterval.toMillis());
        return now.plus(scaled(Duration.ofMillis(millis)));
    }

    /** The longest wait, for a task that no-one can complete yet. */
    public Instant idlePoll(Instant now) {
        return now.plus(scaled(maxInterval));
    }

    private Duration scaled(Duration interval) {
        return safetyNet ? interval.multipliedBy(SAFETY_NET_FACTOR) : interval;
    }
}
