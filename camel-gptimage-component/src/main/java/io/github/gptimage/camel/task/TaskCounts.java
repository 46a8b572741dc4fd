package io.github.gptimage.camel.task;

import java.time.Instant;

/**
 * How many tasks of one account are in one state, and when the oldest of them was submitted.
 *
 * @param count             the number of tasks
 * @param oldestSubmittedAt the earliest {@link TrackedTask#submittedAt()} among them, or null when there are none
 */
public record TaskCounts(int count, Instant oldestSubmittedAt) {

    /** These counts with one more task, submitted at {@code submittedAt}. */
    TaskCounts plus(Instant submittedAt) {
        return new TaskCounts(count + 1, oldestSubmittedAt == null || submittedAt.isBefore(oldestSubmittedAt)
                ? submittedAt : oldestSubmittedAt);
    }
}
