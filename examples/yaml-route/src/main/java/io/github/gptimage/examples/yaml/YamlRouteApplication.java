package io.github.gptimage.examples.yaml;

import java.time.Duration;
import java.util.Map;

import io.github.gptimage.simulator.GptImageSimulator;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel Main with the YAML route of {@code routes/file-drop.camel.yaml} and the settings of
 * {@code application.properties}. The only Java: when {@code GPTIMAGE_API_KEY} is not set, start the API simulator
 * and point the component at it with two override properties.
 */
public final class YamlRouteApplication {

    private static final Logger LOG = LoggerFactory.getLogger("yaml-route");

    private YamlRouteApplication() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
        Main main = new Main();
        GptImageSimulator simulator = embedSimulatorIfNoKey(main, System.getenv());
        try {
            main.run(args);
        } finally {
            if (simulator != null) {
                simulator.stop();
            }
        }
    }

    /** Starts the simulator unless the environment has an API key; returns it, or null. */
    static GptImageSimulator embedSimulatorIfNoKey(Main main, Map<String, String> env) {
        String key = env.get("GPTIMAGE_API_KEY");
        if (key != null && !key.isBlank()) {
            return null;
        }
        GptImageSimulator simulator = GptImageSimulator.builder().completionTime(Duration.ofSeconds(2)).build().start();
        main.addOverrideProperty("gptimage.key", GptImageSimulator.DEFAULT_API_KEY);
        main.addOverrideProperty("camel.component.gptimage.base-url", simulator.baseUrl());
        main.addOverrideProperty("camel.component.gptimage.poll-initial-delay", "1s");
        main.addOverrideProperty("camel.component.gptimage.poll-max-interval", "1s");
        LOG.warn("No GPTIMAGE_API_KEY set: using the embedded GPT image API simulator at {} (nothing is paid)",
                simulator.baseUrl());
        return simulator;
    }
}
