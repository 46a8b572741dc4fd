package io.github.gptimage.simulator;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** All tasks the simulator has accepted, by id. */
final class TaskStore {

    private final Map<String, ImageTask> tasks = new ConcurrentHashMap<>();

    ImageTask create(GenerateRequest request, long now, long durationMillis, TaskFailure failure) {
        String id = UUID.randomUUID().toString().replace("-", "");
        ImageTask task = new ImageTask(id, request, now, now + durationMillis, failure);
        tasks.put(id, task);
        return task;
    }

    Optional<ImageTask> find(String id) {
        return Optional.ofNullable(id == null ? null : tasks.get(id));
    }

    boolean contains(ImageTask task) {
        return tasks.get(task.id()) == task;
    }

    /** The tasks, oldest first. */
    List<ImageTask> all() {
        return tasks.values().stream().sorted(Comparator.comparingLong(ImageTask::createTime)).toList();
    }

    void clear() {
        tasks.clear();
    }
}
