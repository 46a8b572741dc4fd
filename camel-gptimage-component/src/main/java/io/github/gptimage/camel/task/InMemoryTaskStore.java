package io.github.gptimage.camel.task;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.support.LRUCacheFactory;

/**
 * The default task store: tasks in this JVM's memory, lost when it stops. Due tasks are found through a due-time index
 * (O(log n) a task), so that an idle poll costs nothing however many tasks are pending. Bounded: past
 * {@code maxTasks} tasks it is {@link #isFull() full}, and generate fails before submitting.
 */
public class InMemoryTaskStore implements GptImageTaskStore {

    /** The default bound on tasks held. */
    public static final int DEFAULT_MAX_TASKS = 100_000;
    static final int TOMBSTONES = 100_000;
    /** The service keeps tasks 14 days: a callback cannot come later than that. */
    static final Duration TOMBSTONE_LIFETIME = Duration.ofDays(14);

    private final int maxTasks;
    private final Map<String, TrackedTask> tasks = new ConcurrentHashMap<>();
    private final Map<TaskState, NavigableSet<Due>> dueIndex = Map.of(
            TaskState.PENDING, new TreeSet<>(), TaskState.FINAL, new TreeSet<>());
    private final NavigableSet<Due> finalAge = new TreeSet<>();
    private final Map<String, Tombstone> tombstones = LRUCacheFactory.newLRUCache(TOMBSTONES);
    /** Attempts outlive their tasks as long as tombstones do: the LRU keeps the newest. */
    private final Map<AttemptKey, SubmitAttempt> attempts;
    private final Map<String, AttemptKey> attemptsByToken;
    /** The spend of each account's budget windows; windows long ended are dropped by {@link #purgeFinal}. */
    private final Map<SpendWindow, Spend> spends = new HashMap<>();

    public InMemoryTaskStore() {
        this(DEFAULT_MAX_TASKS);
    }

    public InMemoryTaskStore(int maxTasks) {
        if (maxTasks < 1) {
            throw new IllegalArgumentException("maxPendingTasks must be at least 1, not " + maxTasks);
        }
        this.maxTasks = maxTasks;
        this.attempts = LRUCacheFactory.newLRUCache(maxTasks + TOMBSTONES);
        this.attemptsByToken = LRUCacheFactory.newLRUCache(maxTasks + TOMBSTONES);
    }

    @Override
    public synchronized void add(TrackedTask task) {
        TrackedTask stored = task.withVersion(0);
        TrackedTask previous = tasks.putIfAbsent(task.taskId(), stored);
        if (previous == null) {
            index(stored);
        }
        if (task.idempotencyKey() != null) {
            attempts.computeIfPresent(new AttemptKey(task.account(), task.idempotencyKey()),
                    (key, attempt) -> attempt.accepted(task.taskId()));
        }
    }

    @Override
    public synchronized Optional<SubmitAttempt> recordAttempt(SubmitAttempt attempt) {
        AttemptKey key = new AttemptKey(attempt.account(), attempt.idempotencyKey());
        SubmitAttempt earlier = attempts.putIfAbsent(key, attempt);
        if (earlier == null && attempt.callbackToken() != null) {
            attemptsByToken.put(attempt.callbackToken(), key);
        }
        return Optional.ofNullable(earlier);
    }

    @Override
    public Optional<SubmitAttempt> findAttempt(String account, String idempotencyKey) {
        return Optional.ofNullable(attempts.get(new AttemptKey(account, idempotencyKey)));
    }

    @Override
    public Optional<SubmitAttempt> findAttemptByToken(String callbackToken) {
        AttemptKey key = attemptsByToken.get(callbackToken);
        return key != null ? Optional.ofNullable(attempts.get(key)) : Optional.empty();
    }

    @Override
    public synchronized void markInDoubt(String account, String idempotencyKey) {
        // an accepted attempt stays accepted: its task exists
        attempts.computeIfPresent(new AttemptKey(account, idempotencyKey),
                (key, attempt) -> attempt.state() == SubmitAttempt.AttemptState.SENDING ? attempt.inDoubt() : attempt);
    }

    @Override
    public synchronized void forgetAttempt(String account, String idempotencyKey) {
        SubmitAttempt forgotten = attempts.remove(new AttemptKey(account, idempotencyKey));
        if (forgotten != null && forgotten.callbackToken() != null) {
            attemptsByToken.remove(forgotten.callbackToken());
        }
    }

    @Override
    public Optional<TrackedTask> find(String taskId) {
        return Optional.ofNullable(tasks.get(taskId));
    }

    @Override
    public synchronized List<TrackedTask> claimDue(TaskState state, Instant now, int limit, Instant leaseUntil,
                                                   String owner) {
        List<TrackedTask> claimed = new ArrayList<>(Math.min(limit, 64));
        Iterator<Due> due = dueIndex.get(state).iterator();
        while (claimed.size() < limit && due.hasNext()) {
            Due next = due.next();
            if (next.at().isAfter(now)) {
                break;
            }
            TrackedTask task = tasks.get(next.taskId());
            if (task.awaitedOn(owner, now)) {
                continue;
            }
            due.remove();
            TrackedTask leased = task.leased(leaseUntil, owner).withVersion(task.version() + 1);
            tasks.put(task.taskId(), leased);
            claimed.add(leased);
        }
        // indexed at their lease's end once the iteration is over: the index is no concurrent collection
        claimed.forEach(leased -> dueIndex.get(state).add(new Due(leaseUntil, leased.taskId())));
        return claimed;
    }

    @Override
    public synchronized Optional<TrackedTask> update(TrackedTask current, TrackedTask next) {
        TrackedTask stored = tasks.get(current.taskId());
        if (stored == null || stored.version() != current.version()) {
            return Optional.empty();
        }
        unindex(stored);
        TrackedTask updated = next.withVersion(current.version() + 1);
        tasks.put(updated.taskId(), updated);
        index(updated);
        return Optional.of(updated);
    }

    @Override
    public synchronized boolean remove(TrackedTask current) {
        TrackedTask stored = tasks.get(current.taskId());
        if (stored == null || stored.version() != current.version()) {
            return false;
        }
        tasks.remove(stored.taskId());
        unindex(stored);
        if (stored.callbackToken() != null) {
            tombstones.put(stored.taskId(), new Tombstone(stored.callbackToken(), Instant.now()));
        }
        return true;
    }

    @Override
    public Optional<String> removedToken(String taskId) {
        Tombstone tombstone = tombstones.get(taskId);
        if (tombstone == null || tombstone.removedAt().plus(TOMBSTONE_LIFETIME).isBefore(Instant.now())) {
            return Optional.empty();
        }
        return Optional.of(tombstone.token());
    }

    @Override
    public synchronized Optional<Instant> nextDue(TaskState state) {
        NavigableSet<Due> index = dueIndex.get(state);
        return index.isEmpty() ? Optional.empty() : Optional.of(index.first().at());
    }

    @Override
    public synchronized List<TrackedTask> purgeFinal(Instant finalBefore) {
        Instant now = Instant.now();
        List<TrackedTask> dropped = new ArrayList<>();
        Iterator<Due> oldest = finalAge.iterator();
        while (oldest.hasNext()) {
            Due next = oldest.next();
            if (!next.at().isBefore(finalBefore)) {
                break;
            }
            TrackedTask task = tasks.get(next.taskId());
            if (task.leaseOwner() != null && task.dueAt().isAfter(now)) {
                continue; // leased: being delivered
            }
            tasks.remove(task.taskId());
            oldest.remove();
            dueIndex.get(TaskState.FINAL).remove(new Due(task.dueAt(), task.taskId()));
            if (task.callbackToken() != null) {
                tombstones.put(task.taskId(), new Tombstone(task.callbackToken(), now));
            }
            dropped.add(task);
        }
        Instant lifetimeAgo = now.minus(TOMBSTONE_LIFETIME);
        spends.values().removeIf(spend -> spend.end().isBefore(lifetimeAgo));
        return dropped;
    }

    @Override
    public synchronized CreditCharge chargeCredits(String account, Instant windowStart, Instant windowEnd,
                                                   long credits, long budget) {
        SpendWindow window = new SpendWindow(account, windowStart);
        long spent = creditsSpent(account, windowStart);
        if (spent + credits > budget) {
            return new CreditCharge(false, spent);
        }
        spends.put(window, new Spend(windowEnd, spent + credits));
        return new CreditCharge(true, spent + credits);
    }

    @Override
    public synchronized void refundCredits(String account, Instant windowStart, long credits) {
        spends.computeIfPresent(new SpendWindow(account, windowStart),
                (window, spend) -> new Spend(spend.end(), Math.max(0, spend.spent() - credits)));
    }

    @Override
    public synchronized long creditsSpent(String account, Instant windowStart) {
        Spend spend = spends.get(new SpendWindow(account, windowStart));
        return spend != null ? spend.spent() : 0;
    }

    @Override
    public synchronized int count(TaskState state) {
        return dueIndex.get(state).size();
    }

    /** Scans the tasks in {@code state}: O(n), for a console or a health check, not for the poller. */
    @Override
    public synchronized Map<String, TaskCounts> countByAccount(TaskState state) {
        Map<String, TaskCounts> counts = new TreeMap<>();
        for (Due due : dueIndex.get(state)) {
            TrackedTask task = tasks.get(due.taskId());
            counts.merge(task.account(), new TaskCounts(1, task.submittedAt()),
                    (known, one) -> known.plus(one.oldestSubmittedAt()));
        }
        return counts;
    }

    @Override
    public boolean isFull() {
        return tasks.size() >= maxTasks;
    }

    private void index(TrackedTask task) {
        dueIndex.get(task.state()).add(new Due(task.dueAt(), task.taskId()));
        if (task.state() == TaskState.FINAL) {
            finalAge.add(new Due(task.finalAt(), task.taskId()));
        }
    }

    private void unindex(TrackedTask task) {
        dueIndex.get(task.state()).remove(new Due(task.dueAt(), task.taskId()));
        if (task.state() == TaskState.FINAL) {
            finalAge.remove(new Due(task.finalAt(), task.taskId()));
        }
    }

    /** An index entry: a time and the task it belongs to, ordered by time. */
    private record Due(Instant at, String taskId) implements Comparable<Due> {
        @Override
        public int compareTo(Due other) {
            int byTime = at.compareTo(other.at);
            return byTime != 0 ? byTime : taskId.compareTo(other.taskId);
        }
    }

    private record Tombstone(String token, Instant removedAt) {
    }

    private record AttemptKey(String account, String idempotencyKey) {
    }

    private record SpendWindow(String account, Instant start) {
    }

    private record Spend(Instant end, long spent) {
    }
}
