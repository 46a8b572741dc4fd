package io.github.gptimage.camel.task;

import java.time.Duration;
import java.util.function.ToIntFunction;

/**
 * What the component measures, whatever records it: the task service, the producers and the API calls of every
 * account report here. {@link #NONE} records nothing; {@code io.github.gptimage.camel.metrics.MicrometerTaskMetrics}
 * records to a Micrometer {@code MeterRegistry} when one is there. Every method is cheap and never throws; no method
 * is given a key, only account names.
 */
public interface TaskMetrics {

    /** Records nothing: the component without Micrometer, or without a MeterRegistry bean. */
    TaskMetrics NONE = new TaskMetrics() {
    };

    /**
     * A generate call was answered or failed after {@code took}: {@code error} is null when the service accepted the
     * task.
     */
    default void submitted(String account, Duration took, Throwable error) {
    }

    /** A generate was refused before anything was sent (validation, a full or failing store). */
    default void notSent(String account, Throwable error) {
    }

    /** A task expected to cost {@code credits} was accepted for {@code account}. */
    default void charged(String account, long credits) {
    }

    /** An info call (a poll, a callback's confirmation, an info endpoint) was answered or failed. */
    default void infoCalled(String account, Throwable error) {
    }

    /** A result image was downloaded ({@code bytes} long), or its download failed ({@code error}). */
    default void downloaded(String account, long bytes, Throwable error) {
    }

    /** The callback receiver answered a callback with {@code verdict} (accepted, duplicate, malformed, ...). */
    default void callback(String verdict) {
    }

    /**
     * A task's final answer was recorded (once per task), {@code sinceSubmit} after its submit, learned by a poll or
     * a callback.
     */
    default void completed(String account, String status, boolean polled, Duration sinceSubmit) {
    }

    /** Starts reporting the tasks of a store, counted by {@code count} per state when read. */
    default void watchStore(String store, ToIntFunction<TaskState> count) {
    }

    /** Stops reporting the tasks of a store. */
    default void unwatchStore(String store) {
    }
}
