package io.github.gptimage.examples.esb;

/** The 202 answer to an order: the result will be posted downstream when the task completes. */
public record OrderAccepted(String orderId, String taskId, String status) {
}
