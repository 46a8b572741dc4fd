package io.github.gptimage.camel.error;

/**
 * Code 404: the endpoint or resource does not exist. Final.
 */
public class GptImageNotFoundException extends GptImageException {

    public GptImageNotFoundException(int code, String apiMessage, String taskId) {
        super(code, apiMessage, taskId);
    }
}
