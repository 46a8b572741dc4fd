package io.github.gptimage.camel.task;

/** Where a completed task goes: a waiting exchange or the {@code tasks} consumer. */
public interface CompletionTarget {

    /** Whether the images are downloaded before delivery, and up to what size each. */
    DownloadSettings downloadSettings();

    /** Takes the outcome; called once per task. */
    void deliver(TaskOutcome outcome);

    /** Download settings of a target. */
    record DownloadSettings(boolean download, long maxBytes) {
    }
}
