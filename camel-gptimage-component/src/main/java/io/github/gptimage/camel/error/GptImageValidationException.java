package io.github.gptimage.camel.error;

/**
 * Code 422 from the service, or a request the component refused before sending it (code 0). Final.
 */
public class GptImageValidationException extends GptImageException {

    public GptImageValidationException(int code, String apiMessage, String taskId) {
        super(code, apiMessage, taskId);
    }

    /** A request refused locally: nothing was sent, nothing was paid. */
    public GptImageValidationException(String message) {
        super(0, message, null, "Invalid GPT image request: " + message, null);
    }
}
