package io.github.gptimage.camel.task;

import java.util.List;

import io.github.gptimage.camel.error.GptImageException;
import io.github.gptimage.camel.api.DownloadedImage;
import io.github.gptimage.camel.api.TaskInfo;

/**
 * How a task ended, ready to become a completion exchange.
 *
 * @param task    the task as it was pending (correlation headers, request)
 * @param info    what the service said of it last
 * @param images  the downloaded images, empty unless downloading was asked for
 * @param failure why it failed, or null for a success
 */
public record TaskOutcome(PendingTask task, TaskInfo info, List<DownloadedImage> images, GptImageException failure) {

    public TaskOutcome {
        images = images != null ? List.copyOf(images) : List.of();
    }

    public boolean isSuccess() {
        return failure == null;
    }
}
