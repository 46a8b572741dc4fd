package io.github.gptimage.camel.error;

/**
 * Code 400: the prompt or a source image was refused (content policy, a non-English prompt, an unsafe image). Final.
 */
public class GptImageBadRequestException extends GptImageException {

    public GptImageBadRequestException(int code, String apiMessage, String taskId) {
        super(code, apiMessage, taskId);
    }
}
