package io.github.gptimage.simulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * "At most 3 detail queries per second per task": a sliding one-second window of the accepted
 * calls per task id. A call over the limit is refused and does not extend the window.
 */
final class InfoRateLimiter {

    private static final long WINDOW_MILLIS = 1000;

    private final int callsPerSecond;
    private final Map<String, Deque<Long>> acceptedCalls = new ConcurrentHashMap<>();

    InfoRateLimiter(int callsPerSecond) {
        this.callsPerSecond = callsPerSecond;
    }

    boolean tryAcquire(String taskId, long now) {
        Deque<Long> window = acceptedCalls.computeIfAbsent(taskId, id -> new ArrayDeque<>());
        synchronized (window) {
            while (!window.isEmpty() && window.peekFirst() <= now - WINDOW_MILLIS) {
                window.pollFirst();
            }
            if (window.size() >= callsPerSecond) {
                return false;
            }
            window.addLast(now);
            return true;
        }
    }

    void clear() {
        acceptedCalls.clear();
    }
}
