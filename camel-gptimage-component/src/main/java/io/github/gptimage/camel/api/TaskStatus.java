package io.github.gptimage.camel.api;

/**
 * The states of a task. Only {@link #SUCCESS}, {@link #CREATE_TASK_FAILED} and {@link #GENERATE_FAILED} are final; a
 * status the component does not know is read as {@link #UNKNOWN}: neither final nor a success.
 */
public enum TaskStatus {
    GENERATING,
    SUCCESS,
    CREATE_TASK_FAILED,
    GENERATE_FAILED,
    UNKNOWN;

    public boolean isFinal() {
        return this == SUCCESS || isFailure();
    }

    public boolean isFailure() {
        return this == CREATE_TASK_FAILED || this == GENERATE_FAILED;
    }

    public static TaskStatus fromValue(String value) {
        if (value == null) {
            return UNKNOWN;
        }
        try {
            return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
