package io.github.gptimage.camel.task;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps every task the service accepted until its completion exchange completed. One {@code GptImageTaskService}
 * runs on each store; a store shared by several nodes (JDBC) lets them share polling and delivery.
 *
 * <h2>The delivery contract</h2>
 * <ul>
 * <li>A task is {@link #add added} as soon as the service accepted it, before anything else can fail, and is
 * never dropped while {@link TaskState#PENDING}.</li>
 * <li>Polling and delivery are leases: {@link #claimDue} hands a due task to one caller and moves its
 * {@code dueAt} to the end of the lease, so that no-one else claims it meanwhile; a node that dies leaves leases
 * that simply expire.</li>
 * <li>Every change is a compare-and-set on {@link TrackedTask#version()} ({@link #update}, {@link #remove}): of a
 * callback and a poll racing to record a task's final answer, exactly one wins.</li>
 * <li>A {@link TaskState#FINAL} task stays until its completion exchange completed (successfully, or failed and
 * handled by the route). Then it is {@link #remove removed}, leaving a tombstone (its id and callback token) that
 * lets a late or repeated callback be told from a forged one. A completion exchange that failed unhandled puts the
 * task back, to be delivered again as a redelivery.</li>
 * <li>A final task that nothing delivered is dropped after the service's retention for final answers
 * ({@link #purgeFinal}), unless it is leased (being delivered), and leaves a tombstone as a removed task does; the
 * service logs each one.</li>
 * <li>Nothing secret is stored: a task names its account, never its key.</li>
 * </ul>
 * <h2>Credit budgets</h2>
 * A generate of an account with a credit budget {@link #chargeCredits charges} the credits it is expected to cost to
 * the current budget window before it is sent, and is refused when that would exceed the budget; credits of a
 * generate that the service certainly did not charge are {@link #refundCredits refunded}. Windows whose end lies more
 * than the tombstones' lifetime back are dropped by {@link #purgeFinal}.
 * <h2>Idempotent submits</h2>
 * A generate with an idempotency key is {@link #recordAttempt recorded} before it is sent; of several submits with one
 * key (per account), on any node, only the first sends. The attempt is accepted when its task is {@link #add added},
 * {@link #markInDoubt in doubt} when the answer was lost after the request was sent, and {@link #forgetAttempt
 * forgotten} when the service certainly created nothing. Keys are kept as long as their task, and then as long as the
 * tombstones. An attempt is found by its account and key, or by the callback token its generate carried (the token as
 * the service gives it: a hash), which lets a callback for an attempt in doubt create its task from the attempt's
 * template.
 * <p>
 * Implementations are thread-safe. Calls may block (JDBC): the service never makes them on an HTTP I/O thread.
 */
public interface GptImageTaskStore {

    /**
     * Records a task the service has just accepted; a task with an idempotency key also marks its attempt accepted
     * (one transaction in a database).
     */
    void add(TrackedTask task);

    /**
     * Records a submit before its generate is sent: inserted unless an attempt with its account and key is recorded,
     * atomically, so that of concurrent submits with one key, on any node, exactly one is told to send. The attempt's
     * callback token is the token as the service gives it (a hash).
     *
     * @return empty when it is the first with its account and key (send it), else the attempt recorded before it (send
     *         nothing)
     */
    Optional<SubmitAttempt> recordAttempt(SubmitAttempt attempt);

    /** The attempt with this account and key, if one is recorded. */
    Optional<SubmitAttempt> findAttempt(String account, String idempotencyKey);

    /**
     * The attempt whose generate carried this callback token (the token as the service gives it: a hash), if one is
     * recorded.
     */
    Optional<SubmitAttempt> findAttemptByToken(String callbackToken);

    /**
     * The answer of the attempt's generate was lost after the request was sent: the task may exist. An attempt already
     * accepted stays accepted (its task was added meanwhile, by a callback for instance).
     */
    void markInDoubt(String account, String idempotencyKey);

    /** The attempt's generate certainly created nothing (refused, or never sent): a later submit may send again. */
    void forgetAttempt(String account, String idempotencyKey);

    /** The task with this id, pending or final, if the store holds it. */
    Optional<TrackedTask> find(String taskId);

    /**
     * Claims at most {@code limit} tasks in {@code state} that are due at {@code now}, the earliest due first. Each
     * claimed task is leased to {@code owner}: its {@code dueAt} becomes {@code leaseUntil}. A task awaited by an
     * exchange on another node ({@link TrackedTask#awaitedOn}), pending or final, is left to that node until that wait
     * ends: a pending one is polled there, a final one delivered there.
     *
     * @return the claimed tasks, at their new version
     */
    List<TrackedTask> claimDue(TaskState state, Instant now, int limit, Instant leaseUntil, String owner);

    /**
     * Replaces {@code current} with {@code next} if the store still holds {@code current}'s version.
     *
     * @return {@code next} at its new version, or empty when the task changed or is gone meanwhile
     */
    Optional<TrackedTask> update(TrackedTask current, TrackedTask next);

    /**
     * Removes a task whose completion exchange completed, if the store still holds {@code current}'s version, and
     * keeps a tombstone of its id and callback token.
     *
     * @return true for the one caller that removed it
     */
    boolean remove(TrackedTask current);

    /** The callback token of a task removed (or purged) within the tombstones' lifetime, if any. */
    Optional<String> removedToken(String taskId);

    /** The earliest {@code dueAt} of the tasks in {@code state}, if there are any: the poller sleeps until then. */
    Optional<Instant> nextDue(TaskState state);

    /**
     * Drops the final tasks recorded before {@code finalBefore} that nothing delivered, leaving a tombstone for each
     * (as {@link #remove} does), and drops old tombstones, the attempts kept no longer and old budget windows. A final task leased
     * (its {@code leaseOwner} set and its {@code dueAt} still ahead) is being delivered: it is not dropped.
     *
     * @return the tasks dropped
     */
    List<TrackedTask> purgeFinal(Instant finalBefore);

    /** How many tasks are in {@code state}. */
    int count(TaskState state);

    /**
     * Per account, how many tasks are in {@code state} and when the oldest of them was submitted: for the health
     * checks and the dev console, which call it at most once a second per store. One store call (a {@code GROUP BY}
     * in a database); an account without tasks in that state is absent.
     *
     * @throws UnsupportedOperationException when the store cannot tell (the default): the counts are then reported
     *                                       for the store only
     */
    default Map<String, TaskCounts> countByAccount(TaskState state) {
        throw new UnsupportedOperationException("countByAccount");
    }

    /**
     * Adds {@code credits} to what {@code account} spent in the budget window starting at {@code windowStart} (and
     * ending at {@code windowEnd}), unless the window's spend would then exceed {@code budget}: atomically, so that
     * concurrent submits on any node sharing the store never spend past the budget together. A store shared by several
     * nodes shares the spend.
     *
     * @return whether the credits were added, and the window's spend after the call
     * @throws UnsupportedOperationException when the store keeps no spend (the default): a generate endpoint with a
     *                                       {@code creditBudget} then fails at start
     */
    default CreditCharge chargeCredits(String account, Instant windowStart, Instant windowEnd, long credits,
                                       long budget) {
        throw new UnsupportedOperationException("chargeCredits");
    }

    /**
     * Takes back credits that {@link #chargeCredits} added for a generate that the service certainly did not charge
     * (refused, or never sent).
     */
    default void refundCredits(String account, Instant windowStart, long credits) {
        throw new UnsupportedOperationException("refundCredits");
    }

    /** What {@code account} spent in the budget window starting at {@code windowStart}: 0 when nothing. */
    default long creditsSpent(String account, Instant windowStart) {
        throw new UnsupportedOperationException("creditsSpent");
    }

    /**
     * True when the store takes no more tasks: a generate then fails before it is sent. A store past its bound still
     * accepts {@link #add}, so that a task submitted concurrently is never lost.
     */
    default boolean isFull() {
        return false;
    }
}
