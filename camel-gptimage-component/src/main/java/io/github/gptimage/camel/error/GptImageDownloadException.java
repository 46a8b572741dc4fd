package io.github.gptimage.camel.error;

/**
 * A result image could not be downloaded because it is larger than {@code downloadMaxSize}. Final.
 */
public class GptImageDownloadException extends GptImageException {

    public GptImageDownloadException(String message, String taskId) {
        super(0, null, taskId, message, null);
    }
}
