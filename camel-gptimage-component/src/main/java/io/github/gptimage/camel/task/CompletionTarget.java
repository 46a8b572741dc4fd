package io.github.gptimage.camel.task;

import java.time.Duration;

import io.github.gptimage.camel.error.GptImageException;
import org.apache.camel.spi.Synchronization;

/** Where a final task goes: a waiting exchange or the {@code tasks} consumer. */
public interface CompletionTarget {

    /** Whether the images are downloaded before delivery, up to what size each and within what time. */
    DownloadSettings downloadSettings();

    /**
     * Turns the outcome into a completion exchange and runs it; {@code onDone} is added to that exchange, so that the
     * task leaves the store only once the exchange completed, and is delivered again when it failed unhandled.
     */
    void deliver(TaskOutcome outcome, Synchronization onDone);

    /**
     * Ends the wait of a waiting exchange without a completion (timed out, key refused): the task stays in the store.
     */
    void abandon(GptImageException reason);

    /** Download settings of a target. */
    record DownloadSettings(boolean download, long maxBytes, Duration timeout) {
    }
}
