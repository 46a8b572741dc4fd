package io.github.gptimage.camel.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

import io.github.gptimage.camel.GptImageConstants;
import org.apache.camel.Exchange;

/** The completion exchanges the {@code tasks} routes of several nodes received, in arrival order. */
final class Completions {

    /** One completion exchange: on which node, for which task, whether it was a redelivery, and when. */
    record Completion(String node, String taskId, boolean redelivered, int redeliveryCounter, boolean failed,
                      Instant at) {
    }

    private final Queue<Completion> received = new ConcurrentLinkedQueue<>();

    void record(String node, Exchange exchange) {
        received.add(new Completion(node, exchange.getMessage().getHeader(GptImageConstants.TASK_ID, String.class),
                Boolean.TRUE.equals(exchange.getMessage().getHeader(GptImageConstants.REDELIVERED, Boolean.class)),
                exchange.getMessage().getHeader(GptImageConstants.REDELIVERY_COUNTER, 0, Integer.class),
                exchange.getException() != null, Instant.now()));
    }

    List<Completion> all() {
        return List.copyOf(received);
    }

    int size() {
        return received.size();
    }

    /** How many completion exchanges each task got. */
    Map<String, Long> perTask() {
        return received.stream().collect(Collectors.groupingBy(Completion::taskId, Collectors.counting()));
    }

    /** How many completion exchanges each node ran. */
    Map<String, Long> perNode() {
        return received.stream()
                .collect(Collectors.groupingBy(Completion::node, TreeMap::new, Collectors.counting()));
    }

    /** The distinct tasks completed. */
    int tasks() {
        return perTask().size();
    }
}
