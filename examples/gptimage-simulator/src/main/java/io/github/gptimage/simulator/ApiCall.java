package io.github.gptimage.simulator;

/** The two calls of the image API; scripted scenarios are queued per call. */
public enum ApiCall {
    GENERATE,
    INFO
}
