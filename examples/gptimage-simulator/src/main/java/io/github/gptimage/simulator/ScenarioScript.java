package io.github.gptimage.simulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Scenarios queued by the admin API: each call of an endpoint consumes the next one of its queue. */
final class ScenarioScript {

    private final Map<ApiCall, Deque<Scenario>> queues = new EnumMap<>(ApiCall.class);

    synchronized void enqueue(ApiCall call, Scenario scenario, int times) {
        if (!scenario.appliesTo(call)) {
            throw new IllegalArgumentException(scenario.word() + " cannot be scripted for " + call);
        }
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1");
        }
        Deque<Scenario> queue = queues.computeIfAbsent(call, c -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            queue.addLast(scenario);
        }
    }

    synchronized Optional<Scenario> next(ApiCall call) {
        Deque<Scenario> queue = queues.get(call);
        return queue == null ? Optional.empty() : Optional.ofNullable(queue.pollFirst());
    }

    synchronized Map<ApiCall, List<Scenario>> pending() {
        Map<ApiCall, List<Scenario>> copy = new EnumMap<>(ApiCall.class);
        queues.forEach((call, queue) -> copy.put(call, new ArrayList<>(queue)));
        return copy;
    }

    synchronized void clear() {
        queues.clear();
    }
}
