package io.github.gptimage.examples.esb;

/**
 * The answer to an order: the result will be posted downstream when the task completes. Status ACCEPTED (HTTP 202), or
 * ALREADY_ACCEPTED (HTTP 200) for an order posted again: its task is the one of the first post.
 */
public record OrderAccepted(String orderId, String taskId, String status) {
}
