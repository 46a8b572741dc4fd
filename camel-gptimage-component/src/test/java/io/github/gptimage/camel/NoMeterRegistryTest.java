package io.github.gptimage.camel;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.github.gptimage.camel.task.TaskMetrics;
import org.apache.camel.CamelContext;
import org.apache.camel.Producer;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without a MeterRegistry bean the component starts, submits and records no metrics; and Micrometer being an optional
 * dependency, the component also starts with no Micrometer class on the classpath at all.
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

    @Test
    void startsWithoutMicrometerOnTheClasspath() throws Exception {
        List<URL> urls = new ArrayList<>();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.contains("micrometer")) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        try (URLClassLoader withoutMicrometer = new URLClassLoader(urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            assertThat(urls).noneSatisfy(url -> assertThat(url.toString()).contains("micrometer"));
            @SuppressWarnings("unchecked")
            Callable<String> start = (Callable<String>) withoutMicrometer.loadClass(StartProducer.class.getName())
                    .getDeclaredConstructor().newInstance();
            // Camel resolves its services through the thread's context class loader
            ClassLoader before = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(withoutMicrometer);
            try {
                assertThat(start.call()).isEqualTo("started without Micrometer, metrics none");
            } finally {
                Thread.currentThread().setContextClassLoader(before);
            }
        }
    }

    /** Starts a context with a generate producer, loaded by a class loader that has no Micrometer class. */
    public static final class StartProducer implements Callable<String> {
        @Override
        public String call() throws Exception {
            boolean present = GptImageMetrics.micrometerPresent();
            try (CamelContext camel = new DefaultCamelContext()) {
                camel.start();
                Producer producer = camel.getEndpoint("gptimage:generate?apiKey=k&baseUrl=http://localhost:9")
                        .createProducer();
                producer.start();
                TaskMetrics metrics = camel.getComponent("gptimage", GptImageComponent.class).taskServices()
                        .get("default").metrics();
                producer.stop();
                return (present ? "started with Micrometer" : "started without Micrometer") + ", metrics "
                       + (metrics == TaskMetrics.NONE ? "none" : metrics.getClass().getName());
            }
        }
    }
}
