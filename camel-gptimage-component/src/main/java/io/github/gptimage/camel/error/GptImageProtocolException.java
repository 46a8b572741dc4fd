package io.github.gptimage.camel.error;

/**
 * A successful HTTP answer whose body is not the JSON envelope the API documents. Final: the service may have acted on
 * the call, so repeating it could pay twice.
 */
public class GptImageProtocolException extends GptImageException {

    public GptImageProtocolException(int httpStatus, String message, String taskId, Throwable cause) {
        super(httpStatus, null, taskId, message, cause);
    }
}
