package io.github.gptimage.camel.task;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The callback tokens of the tasks completed last, so that a callback delivered again after its task completed is
 * told from a forged one: the first is answered 200 and ignored, the second refused.
 */
final class RecentCompletions {

    private static final int CAPACITY = 10_000;

    private final Map<String, String> tokens = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CAPACITY;
        }
    };

    synchronized void add(String taskId, String token) {
        if (token != null) {
            tokens.put(taskId, token);
        }
    }

    synchronized void remove(String taskId) {
        tokens.remove(taskId);
    }

    synchronized String token(String taskId) {
        return tokens.get(taskId);
    }
}
