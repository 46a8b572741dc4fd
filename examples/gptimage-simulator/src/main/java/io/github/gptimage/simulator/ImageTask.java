package io.github.gptimage.simulator;

import java.util.List;
import java.util.Locale;

/**
 * One generation task. Its state is a function of time: GENERATING (progress rising) until its
 * planned completion, then SUCCESS, or GENERATE_FAILED when a failure was scripted.
 */
final class ImageTask {

    private final String id;
    private final GenerateRequest request;
    private final long createTime;
    private final long completeTime;
    private final TaskFailure failure;

    ImageTask(String id, GenerateRequest request, long createTime, long completeTime, TaskFailure failure) {
        this.id = id;
        this.request = request;
        this.createTime = createTime;
        this.completeTime = completeTime;
        this.failure = failure;
    }

    String id() {
        return id;
    }

    GenerateRequest request() {
        return request;
    }

    long createTime() {
        return createTime;
    }

    long completeTime() {
        return completeTime;
    }

    /** The failure this task ends with, or null for a task that succeeds. */
    TaskFailure failure() {
        return failure;
    }

    TaskStatus statusAt(long now) {
        if (now < completeTime) {
            return TaskStatus.GENERATING;
        }
        return failure == null ? TaskStatus.SUCCESS : TaskStatus.GENERATE_FAILED;
    }

    TaskDetails detailsAt(long now, List<String> resultUrls) {
        TaskStatus status = statusAt(now);
        boolean finished = status != TaskStatus.GENERATING;
        return new TaskDetails(
                id,
                request.paramJson(),
                createTime,
                finished ? completeTime : null,
                status == TaskStatus.SUCCESS ? new TaskDetails.Result(resultUrls) : null,
                status.successFlag(),
                status,
                failure != null && finished ? failure.code() : null,
                errorMessage(status),
                progressAt(now));
    }

    private String errorMessage(TaskStatus status) {
        return switch (status) {
            case GENERATING -> null;
            case SUCCESS -> "";
            case GENERATE_FAILED -> failure.message();
        };
    }

    private String progressAt(long now) {
        double progress = now >= completeTime
                ? 1.0
                : Math.min(0.99, (double) (now - createTime) / Math.max(1, completeTime - createTime));
        return String.format(Locale.ROOT, "%.2f", Math.floor(progress * 100) / 100);
    }
}
