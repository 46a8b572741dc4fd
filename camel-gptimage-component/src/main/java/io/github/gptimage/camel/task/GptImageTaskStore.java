package io.github.gptimage.camel.task;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Holds every task the component submitted and has not completed. An implementation shared by several nodes (SQL)
 * makes {@link #claimDue} a lease (a claimed task is not due for anyone else until it is rescheduled or the lease
 * runs out) and {@link #complete} a compare-and-set, so that each task is polled by one node at a time and completed
 * exactly once.
 */
public interface GptImageTaskStore {

    /** Records a task the service accepted. */
    void add(PendingTask task);

    /** The pending task with this id, if there is one. */
    Optional<PendingTask> find(String taskId);

    /**
     * Claims at most {@code limit} tasks due at {@code now}, oldest due first: each one's next poll moves to
     * {@code leaseUntil}, so that no-one else claims it while its info call is under way.
     */
    List<PendingTask> claimDue(Instant now, int limit, Instant leaseUntil);

    /** Replaces a pending task's schedule (next poll time and poll count); no-op when it is no longer pending. */
    void reschedule(PendingTask task);

    /**
     * Removes a task that reached its end. True only for the first caller: a callback and a poll racing on the same
     * task see one true between them.
     */
    boolean complete(String taskId);

    /** How many tasks are pending. */
    int size();
}
