package io.github.gptimage.camel.error;

import java.time.Duration;

/**
 * A waiting producer gave up on a task after its {@code timeout}. Final: the task was accepted and is paid for, so a
 * resubmit would pay twice; the task id lets a route look it up later with the {@code info} operation.
 */
public class GptImageTimeoutException extends GptImageException {

    public GptImageTimeoutException(String taskId, Duration timeout) {
        super(0, null, taskId, "GPT image task " + taskId + " did not complete within " + timeout, null);
    }
}
