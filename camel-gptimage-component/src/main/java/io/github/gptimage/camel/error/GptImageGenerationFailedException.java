package io.github.gptimage.camel.error;

/**
 * The task ended in {@code GENERATE_FAILED} or {@code CREATE_TASK_FAILED}, or a failure callback reported it. Carries
 * the task's own error code and message. Final.
 */
public class GptImageGenerationFailedException extends GptImageException {

    private final String errorCode;

    public GptImageGenerationFailedException(String taskId, String errorCode, String errorMessage) {
        super(parseCode(errorCode), errorMessage, taskId,
              "GPT image task " + taskId + " failed" + (errorCode != null ? " with code " + errorCode : "")
                                                         + (errorMessage != null ? ": " + errorMessage : ""),
              null);
        this.errorCode = errorCode;
    }

    private static int parseCode(String errorCode) {
        try {
            return errorCode != null ? Integer.parseInt(errorCode.trim()) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The task's {@code errorCode} as the service sent it. */
    public String getErrorCode() {
        return errorCode;
    }
}
