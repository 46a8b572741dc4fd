package io.github.gptimage.camel;

import io.github.gptimage.camel.metrics.MicrometerTaskMetrics;
import io.github.gptimage.camel.task.TaskMetrics;
import org.apache.camel.CamelContext;

/**
 * Finds what the component's metrics are recorded to: a Micrometer {@code MeterRegistry} bean when Micrometer is on
 * the classpath (an optional dependency) and the registry holds one, else nothing.
 */
final class GptImageMetrics {

    static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

    private GptImageMetrics() {
    }

    static TaskMetrics resolve(CamelContext context) {
        if (!micrometerPresent()) {
            return TaskMetrics.NONE;
        }
        return MicrometerTaskMetrics.bind(context);
    }

    /** True when Micrometer's core is on the classpath: only then is a class that uses it loaded. */
    static boolean micrometerPresent() {
        try {
            Class.forName(METER_REGISTRY, false, GptImageMetrics.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }
}
