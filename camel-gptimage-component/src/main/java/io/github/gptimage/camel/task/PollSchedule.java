package io.github.gptimage.camel.task;

import java.time.Duration;
import java.time.Instant;

/**
 * When a task is polled: first after {@code initialDelay}, then at intervals that grow by half each time up to
 * {@code maxInterval}. Once the service reports rising progress, the next poll is set at the time the progress
 * extrapolates to completion (progress is taken as 0 at submission), so that a task is polled few times and noticed
 * soon after it ends. No interval is shorter than {@link #MIN_INTERVAL}, so one task never gets more than 3 info calls
 * a second (the API's limit), nor longer than {@code maxInterval}. With callbacks on, polling is the safety net: it
 * runs {@link #SAFETY_NET_FACTOR} times slower and ignores progress. The info calls of a task use the timeouts of the
 * endpoint that submitted it.
 *
 * @param initialDelay   how long after submission the first poll comes
 * @param maxInterval    the longest interval between two polls
 * @param safetyNet      true when callbacks are on
 * @param requestTimeout how long an info call waits for its answer
 * @param connectTimeout how long an info call waits for a connection
 */
public record PollSchedule(Duration initialDelay, Duration maxInterval, boolean safetyNet, Duration requestTimeout,
                           Duration connectTimeout) {

    /** A schedule with the default call timeouts (60 s answer, 10 s connect). */
    public PollSchedule(Duration initialDelay, Duration maxInterval, boolean safetyNet) {
        this(initialDelay, maxInterval, safetyNet, Duration.ofSeconds(60), Duration.ofSeconds(10));
    }

    /** 3 calls a second at most. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(334);
    static final int SAFETY_NET_FACTOR = 4;
    /** Added to an extrapolated completion time: a poll just before the end is a wasted call. */
    static final Duration EXTRAPOLATION_MARGIN = Duration.ofMillis(100);

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

    /**
     * The next poll of {@code task} after an info call made at {@code now} that found it still running with
     * {@code progress} (null when the service sent none).
     */
    public Instant nextPoll(TrackedTask task, Instant now, Double progress) {
        if (!safetyNet && progress != null && progress > 0 && progress < 1) {
            double lastProgress = task.progress() != null ? task.progress() : 0;
            Instant lastAt = task.progressAt() != null ? task.progressAt() : task.submittedAt();
            long elapsedMillis = Duration.between(lastAt, now).toMillis();
            if (progress > lastProgress && elapsedMillis > 0) {
                double millisLeft = (1 - progress) * elapsedMillis / (progress - lastProgress);
                Duration untilDone = Duration.ofMillis(Math.round(millisLeft)).plus(EXTRAPOLATION_MARGIN);
                return now.plus(clamp(untilDone));
            }
        }
        return growing(now, task.pollCount());
    }

    /** The growing interval after the {@code pollCount}-th call, made at {@code now}. */
    public Instant growing(Instant now, int pollCount) {
        double growth = Math.pow(1.5, Math.min(pollCount, 20));
        long millis = Math.min((long) (initialDelay.toMillis() * growth), maxInterval.toMillis());
        return now.plus(scaled(Duration.ofMillis(millis)));
    }

    /** The longest wait: after a failed call. */
    public Instant idlePoll(Instant now) {
        return now.plus(scaled(maxInterval));
    }

    private Duration clamp(Duration interval) {
        if (interval.compareTo(MIN_INTERVAL) < 0) {
            return MIN_INTERVAL;
        }
        return interval.compareTo(maxInterval) > 0 ? maxInterval : interval;
    }

    private Duration scaled(Duration interval) {
        return safetyNet ? interval.multipliedBy(SAFETY_NET_FACTOR) : interval;
    }
}
