package io.github.gptimage.camel.error;

/**
 * Code 401: the API key is missing or invalid. Final.
 */
public class GptImageAuthenticationException extends GptImageException {

    public GptImageAuthenticationException(int code, String apiMessage, String taskId) {
        super(code, apiMessage, taskId);
    }
}
