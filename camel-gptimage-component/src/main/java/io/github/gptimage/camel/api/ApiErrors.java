package io.github.gptimage.camel.api;

import java.time.Duration;

import io.github.gptimage.camel.error.GptImageAuthenticationException;
import io.github.gptimage.camel.error.GptImageBadRequestException;
import io.github.gptimage.camel.error.GptImageException;
import io.github.gptimage.camel.error.GptImageInsufficientCreditsException;
import io.github.gptimage.camel.error.GptImageNotFoundException;
import io.github.gptimage.camel.error.GptImageRateLimitException;
import io.github.gptimage.camel.error.GptImageServerException;
import io.github.gptimage.camel.error.GptImageServiceUnavailableException;
import io.github.gptimage.camel.error.GptImageSourceImageException;
import io.github.gptimage.camel.error.GptImageValidationException;

/** The error table of the API: one exception type per code. */
public final class ApiErrors {

    private ApiErrors() {
    }

    /**
     * The exception for an API code, whether it came as the envelope's {@code code} or as the HTTP status.
     *
     * @param retryAfter the {@code Retry-After} of a 429, or null
     */
    public static GptImageException forCode(int code, String message, String taskId, Duration retryAfter) {
        return switch (code) {
            case 400 -> new GptImageBadRequestException(code, message, taskId);
            case 401 -> new GptImageAuthenticationException(code, message, taskId);
            case 402 -> new GptImageInsufficientCreditsException(code, message, taskId);
            case 404 -> new GptImageNotFoundException(code, message, taskId);
            case 422 -> new GptImageValidationException(code, message, taskId);
            case 429 -> new GptImageRateLimitException(code, message, taskId, retryAfter);
            case 451 -> new GptImageSourceImageException(code, message, taskId);
            case 455, 550 -> new GptImageServiceUnavailableException(code, message, taskId);
            default -> code >= 500 && code < 600
                    ? new GptImageServerException(code, message, taskId)
                    : new GptImageException(code, message, taskId);
        };
    }
}
