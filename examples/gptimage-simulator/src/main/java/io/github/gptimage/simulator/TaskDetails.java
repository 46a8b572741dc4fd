package io.github.gptimage.simulator;

import java.util.List;

/**
 * The {@code data} of a task-details answer, field for field; also what the Java API and
 * {@code GET /__sim/tasks} report about a task.
 */
public record TaskDetails(String taskId, String paramJson, long createTime, Long completeTime, Result response,
                          int successFlag, TaskStatus status, Integer errorCode, String errorMessage,
                          String progress) {

    /** The {@code response} object of a finished task. */
    public record Result(List<String> resultUrls) {
    }
}
