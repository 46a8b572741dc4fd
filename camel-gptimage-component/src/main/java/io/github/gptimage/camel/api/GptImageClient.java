package io.github.gptimage.camel.api;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.gptimage.camel.error.GptImageDownloadException;
import io.github.gptimage.camel.error.GptImageException;

/**
 * The GPT image API as the component uses it. Every call is non-blocking; a failed call completes exceptionally with
 * a {@link io.github.gptimage.camel.error.GptImageException} subclass.
 */
public interface GptImageClient {

    /**
     * Submits a generation task and completes with the task id the service assigned; {@code timeout} bounds the wait
     * for the answer once the request is sent (as every call's does).
     */
    CompletableFuture<String> generate(GenerateRequest request, Duration timeout);

    /** Queries a task's state. */
    CompletableFuture<TaskInfo> info(String taskId, Duration timeout);

    /**
     * Fetches a result image, failing with a final {@link io.github.gptimage.camel.error.GptImageDownloadException} when it
     * is larger than {@code maxBytes} and with a retryable exception for transport and server errors.
     */
    CompletableFuture<DownloadedImage> download(String url, long maxBytes, Duration timeout);

    /**
     * Cancels the calls still waiting for their answers, when the component stops: their futures fail with a
     * retryable {@link io.github.gptimage.camel.error.GptImageTransportException}. Only the poller's client is asked:
     * its calls are free and are made again after a restart.
     */
    default void cancelCallsInFlight() {
    }
}
