package io.github.gptimage.simulator;

/** The {@code data} of a successful generate answer. */
record TaskCreated(String taskId) {
}
