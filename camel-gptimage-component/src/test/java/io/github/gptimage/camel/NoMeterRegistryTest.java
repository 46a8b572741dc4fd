package io.github.gptimage.camel;

import io.github.gptimage.camel.task.TaskMetrics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without a MeterRegistry bean the component starts, submits and records no metrics (Micrometer is an optional
 * dependency: the examples run the component without it on the classpath at all).
 */
class NoMeterRegistryTest extends GptImageTestSupport {

    @Test
    void startsAndSubmitsWithoutAMeterRegistry() {
        stubGenerate("t-plain");
        assertThat(submit(generateUri()).getException()).isNull();

        GptImageComponent component = context.getComponent("gptimage", GptImageComponent.class);
        assertThat(component.taskServices()).hasSize(1);
        assertThat(component.taskServices().get("default").metrics()).isSameAs(TaskMetrics.NONE);
        assertThat(GptImageMetrics.micrometerPresent()).as("on the test classpath").isTrue();
    }
}
