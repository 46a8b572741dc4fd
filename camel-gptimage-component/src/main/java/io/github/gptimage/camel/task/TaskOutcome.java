package io.github.gptimage.camel.task;

import java.util.List;

import io.github.gptimage.camel.api.DownloadedImage;
import io.github.gptimage.camel.error.GptImageException;

/**
 * How a task ended, ready to become a completion exchange.
 *
 * @param task    the final task (correlation headers, request, final answer, earlier deliveries)
 * @param images  the downloaded images, empty unless downloading was asked for
 * @param failure why it failed, or null for a success
 */
public record TaskOutcome(TrackedTask task, List<DownloadedImage> images, GptImageException failure) {

    public TaskOutcome {
        images = images != null ? List.copyOf(images) : List.of();
    }

    public boolean isSuccess() {
        return failure == null;
    }

    /** True when an earlier completion exchange of the task failed unhandled. */
    public boolean isRedelivery() {
        return task.deliveries() > 0;
    }
}
