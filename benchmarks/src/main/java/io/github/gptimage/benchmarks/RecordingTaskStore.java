package io.github.gptimage.benchmarks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.gptimage.camel.task.InMemoryTaskStore;
import io.github.gptimage.camel.task.TaskState;
import io.github.gptimage.camel.task.TrackedTask;

/**
 * The default in-memory store, recording when the service added each task, claimed it for a poll, and recorded the
 * poll's answer (the task rescheduled, with its next due time, or made final), so that a task's lag can be split into its parts. The log is
 * allocated up front (no allocation per event), so that it does not count in the heap per pending task.
 */
final class RecordingTaskStore extends InMemoryTaskStore {

    enum Kind { ADDED, CLAIMED, POLLED, FINAL }

    /** One event: when (epoch ms), and the task's due time after it (epoch ms; 0 for FINAL). */
    record Event(Kind kind, long at, long dueAt) {
    }

    private final long[] at;
    private final long[] dueAt;
    private final byte[] kind;
    private final String[] taskId;
    private final AtomicInteger next = new AtomicInteger();

    RecordingTaskStore(int capacity) {
        at = new long[capacity];
        dueAt = new long[capacity];
        kind = new byte[capacity];
        taskId = new String[capacity];
    }

    @Override
    public void add(TrackedTask task) {
        super.add(task);
        log(Kind.ADDED, task.taskId(), task.dueAt());
    }

    @Override
    public List<TrackedTask> claimDue(TaskState state, Instant now, int limit, Instant leaseUntil, String owner) {
        List<TrackedTask> claimed = super.claimDue(state, now, limit, leaseUntil, owner);
        if (state == TaskState.PENDING) {
            for (TrackedTask task : claimed) {
                log(Kind.CLAIMED, task.taskId(), null);
            }
        }
        return claimed;
    }

    @Override
    public Optional<TrackedTask> update(TrackedTask current, TrackedTask next) {
        Optional<TrackedTask> updated = super.update(current, next);
        if (updated.isPresent() && current.state() == TaskState.PENDING) {
            TrackedTask task = updated.get();
            if (task.state() == TaskState.FINAL) {
                log(Kind.FINAL, task.taskId(), null);
            } else if (task.pollCount() > current.pollCount()) {
                log(Kind.POLLED, task.taskId(), task.dueAt());
            }
        }
        return updated;
    }

    private void log(Kind what, String id, Instant due) {
        int index = next.getAndIncrement();
        if (index < at.length) {
            at[index] = System.currentTimeMillis();
            dueAt[index] = due == null ? 0 : due.toEpochMilli();
            kind[index] = (byte) what.ordinal();
            taskId[index] = id;
        }
    }

    /** Forgets the events so far. */
    void clearLog() {
        int used = Math.min(next.getAndSet(0), at.length);
        java.util.Arrays.fill(taskId, 0, used, null);
    }

    boolean overflowed() {
        return next.get() > at.length;
    }

    /** The events per task, in order. */
    Map<String, List<Event>> events() {
        Map<String, List<Event>> events = new HashMap<>();
        int used = Math.min(next.get(), at.length);
        for (int i = 0; i < used; i++) {
            if (taskId[i] != null) {
                events.computeIfAbsent(taskId[i], id -> new ArrayList<>())
                        .add(new Event(Kind.values()[kind[i]], at[i], dueAt[i]));
            }
        }
        events.values().forEach(list -> list.sort(java.util.Comparator.comparingLong(Event::at)));
        return events;
    }
}
