package io.github.gptimage.camel.task;

import java.time.Duration;
import java.time.Instant;

/**
 * An account's credit budget: at most {@code credits} per {@code period}. Periods are fixed windows counted from the
 * epoch (UTC), so that every node finds the same window without asking the others: a period of one day runs from
 * midnight UTC to midnight UTC, one hour from each full hour.
 */
public record CreditBudget(long credits, Duration period) {

    public CreditBudget {
        if (credits < 1 || period.toMillis() < 1000) {
            throw new IllegalArgumentException("A credit budget is at least 1 credit per second or longer, not "
                                               + credits + " per " + period);
        }
    }

    /** The window that {@code now} lies in. */
    public Window window(Instant now) {
        long periodMillis = period.toMillis();
        long start = Math.floorDiv(now.toEpochMilli(), periodMillis) * periodMillis;
        return new Window(Instant.ofEpochMilli(start), Instant.ofEpochMilli(start + periodMillis));
    }

    /** One period of the budget, from {@code start} (included) to {@code end} (excluded). */
    public record Window(Instant start, Instant end) {
    }
}
