package io.github.gptimage.camel.api;

/** The backup models the service may use when {@code enableFallback} is set. */
public enum FallbackModel {
    GPT_IMAGE_1,
    FLUX_MAX
}
