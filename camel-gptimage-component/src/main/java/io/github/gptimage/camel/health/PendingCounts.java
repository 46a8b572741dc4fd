package io.github.gptimage.camel.health;

import java.time.Duration;
import java.util.Map;

import io.github.gptimage.camel.task.GptImageTaskStore;
import io.github.gptimage.camel.task.TaskCounts;
import io.github.gptimage.camel.task.TaskState;

/**
 * The pending tasks of a store per account, read at most once a {@link #MAX_AGE} however many checks ask: a health
 * endpoint polled every few seconds costs one store call (a {@code GROUP BY} on a database) per store, not one per
 * account.
 */
final class PendingCounts {

    static final Duration MAX_AGE = Duration.ofSeconds(1);

    private final GptImageTaskStore store;
    private Map<String, TaskCounts> counts;
    private long readAt;

    PendingCounts(GptImageTaskStore store) {
        this.store = store;
    }

    /**
     * The pending tasks of {@code account}: 0 when it has none, -1 when the store cannot tell (it does not count per
     * account, or it fails).
     */
    synchronized int of(String account) {
        long now = System.nanoTime();
        if (counts == null || now - readAt > MAX_AGE.toNanos()) {
            try {
                counts = store.countByAccount(TaskState.PENDING);
            } catch (RuntimeException unknown) {
                counts = null;
                return -1;
            }
            readAt = now;
        }
        TaskCounts known = counts.get(account);
        return known != null ? known.count() : 0;
    }
}
