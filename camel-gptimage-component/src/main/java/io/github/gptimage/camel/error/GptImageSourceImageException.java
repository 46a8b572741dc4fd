package io.github.gptimage.camel.error;

/**
 * Code 451: the service could not fetch a source or mask image. Final.
 */
public class GptImageSourceImageException extends GptImageException {

    public GptImageSourceImageException(int code, String apiMessage, String taskId) {
        super(code, apiMessage, taskId);
    }
}
