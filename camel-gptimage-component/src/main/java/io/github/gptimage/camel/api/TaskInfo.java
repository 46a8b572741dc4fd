package io.github.gptimage.camel.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the service knows of a task: the answer of the {@code info} call.
 *
 * @param taskId       the task id
 * @param status       the status; {@link TaskStatus#UNKNOWN} for a value the component does not know
 * @param progress     progress from 0.0 to 1.0, or null when the service sent none
 * @param resultUrls   the result image URLs, empty until the task succeeded
 * @param errorCode    the task's error code, or null
 * @param errorMessage the task's error message, or null
 * @param createTime   when the task was created, or null
 * @param completeTime when the task completed, or null (the service's value is unreliable: {@code status} decides)
 * @param parameters   the request as the service recorded it (its {@code paramJson}), empty when absent
 */
public record TaskInfo(
        String taskId,
        TaskStatus status,
        Double progress,
        List<String> resultUrls,
        String errorCode,
        String errorMessage,
        Instant createTime,
        Instant completeTime,
        Map<String, Object> parameters) {

    public TaskInfo {
        status = status != null ? status : TaskStatus.UNKNOWN;
        resultUrls = resultUrls != null ? List.copyOf(resultUrls) : List.of();
        parameters = parameters != null ? Map.copyOf(parameters) : Map.of();
    }

    /** A task the service has just accepted and says nothing more about yet. */
    public static TaskInfo pending(String taskId) {
        return new TaskInfo(taskId, TaskStatus.UNKNOWN, null, null, null, null, null, null, null);
    }

    public boolean isFinal() {
        return status.isFinal();
    }

    public boolean isSuccess() {
        return status == TaskStatus.SUCCESS;
    }

    public boolean isFailure() {
        return status.isFailure();
    }
}
