package io.github.gptimage.camel.error;

/**
 * Code 402: the account has no credits left. Final.
 */
public class GptImageInsufficientCreditsException extends GptImageException {

    public GptImageInsufficientCreditsException(int code, String apiMessage, String taskId) {
        super(code, apiMessage, taskId);
    }
}
