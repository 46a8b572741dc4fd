package io.github.gptimage.camel.error;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.HttpResponseAware;

/**
 * Root of every error the component raises. Carries the API code (the body {@code code} when the service sent one,
 * else the HTTP status), the service's message and, when known, the task id. Subclasses of
 * {@link GptImageRetryableException} are the errors worth redelivering; every other subclass is final.
 */
public class GptImageException extends RuntimeCamelException implements HttpResponseAware {

    private int code;
    private String status;
    private final String apiMessage;
    private final String taskId;

    public GptImageException(int code, String apiMessage, String taskId, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.apiMessage = apiMessage;
        this.taskId = taskId;
    }

    public GptImageException(int code, String apiMessage, String taskId) {
        this(code, apiMessage, taskId, describe(code, apiMessage, taskId), null);
    }

    static String describe(int code, String apiMessage, String taskId) {
        StringBuilder text = new StringBuilder("GPT image API error");
        if (code > 0) {
            text.append(' ').append(code);
        }
        if (apiMessage != null && !apiMessage.isBlank()) {
            text.append(": ").append(apiMessage);
        }
        if (taskId != null) {
            text.append(" (task ").append(taskId).append(')');
        }
        return text.toString();
    }

    /** The API code: the envelope {@code code} when present, else the HTTP status; 0 for local errors. */
    public int getCode() {
        return code;
    }

    /** The message the service sent, without the component's own wording. */
    public String getApiMessage() {
        return apiMessage;
    }

    /** The task the error is about, or null when no task was created or named. */
    public String getTaskId() {
        return taskId;
    }

    /** True for the errors a redelivery may fix. */
    public boolean isRetryable() {
        return false;
    }

    @Override
    public int getHttpResponseCode() {
        return code;
    }

    @Override
    public void setHttpResponseCode(int code) {
        this.code = code;
    }

    @Override
    public String getHttpResponseStatus() {
        return status != null ? status : apiMessage;
    }

    @Override
    public void setHttpResponseStatus(String status) {
        this.status = status;
    }
}
