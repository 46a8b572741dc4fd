package io.github.gptimage.camel.task;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The default task store: pending tasks in this JVM's memory, lost when it stops. */
public class InMemoryTaskStore implements GptImageTaskStore {

    private final Map<String, PendingTask> tasks = new ConcurrentHashMap<>();

    @Override
    public void add(PendingTask task) {
        tasks.put(task.taskId(), task);
    }

    @Override
    public Optional<PendingTask> find(String taskId) {
        return Optional.ofNullable(tasks.get(taskId));
    }

    @Override
    public List<PendingTask> claimDue(Instant now, int limit, Instant leaseUntil) {
        List<PendingTask> due = tasks.values().stream()
                .filter(task -> !task.nextPollAt().isAfter(now))
                .sorted(Comparator.comparing(PendingTask::nextPollAt))
                .limit(limit)
                .toList();
        List<PendingTask> claimed = new ArrayList<>(due.size());
        for (PendingTask task : due) {
            PendingTask leased = task.dueAt(leaseUntil, false);
            if (tasks.replace(task.taskId(), task, leased)) {
                claimed.add(leased);
            }
        }
        return claimed;
    }

    @Override
    public void reschedule(PendingTask task) {
        tasks.computeIfPresent(task.taskId(), (id, current) -> task);
    }

    @Override
    public boolean complete(String taskId) {
        return tasks.remove(taskId) != null;
    }

    @Override
    public int size() {
        return tasks.size();
    }
}
