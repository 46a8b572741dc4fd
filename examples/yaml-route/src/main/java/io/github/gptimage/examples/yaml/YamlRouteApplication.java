package io.github.gptimage.examples.yaml;

import java.util.Map;

import io.github.gptimage.simulator.ApiTarget;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel Main with the YAML route of {@code routes/file-drop.camel.yaml} and the settings of
 * {@code application.properties}. The only Java: when {@code GPTIMAGE_API_KEY} is not set, start the API simulator
 * and point the component at it with override properties.
 */
public final class YamlRouteApplication {

    private static final Logger LOG = LoggerFactory.getLogger("yaml-route");

    private YamlRouteApplication() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        try (ApiTarget api = useApi(main, System.getenv())) {
            main.run(args);
        }
    }

    /** Starts the simulator unless the environment has an API key, and overrides the component's properties. */
    static ApiTarget useApi(Main main, Map<String, String> env) {
        ApiTarget api = ApiTarget.resolve(Map.of(), env, LOG::warn);
        api.properties().forEach(main::addOverrideProperty);
        api.quickPollingProperties().forEach(main::addOverrideProperty);
        return api;
    }
}
