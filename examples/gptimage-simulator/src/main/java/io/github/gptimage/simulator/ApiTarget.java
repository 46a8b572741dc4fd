package io.github.gptimage.simulator;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where an example application sends its GPT image API calls: the real service when an API key is given, else a
 * simulator started here. The examples override the component's properties with {@link #properties()}; closing the
 * target stops its simulator.
 *
 * <pre>{@code
 * try (ApiTarget api = ApiTarget.resolve(properties, System.getenv(), LOG::warn)) {
 *     api.properties().forEach(main::addOverrideProperty);
 *     main.run();
 * }
 * }</pre>
 */
public final class ApiTarget implements AutoCloseable {

    /** The environment variable with the key of the real service. */
    public static final String API_KEY_ENV = "GPTIMAGE_API_KEY";
    /**
     * The property with the key the component gets (application.properties: camel.component.gptimage.api-key =
     * {{gptimage.apikey}}). Camel masks it in its start-up summaries, since "apikey" is one of the names it treats as
     * sensitive (a gptimage.key was printed in clear). Not gptimage.api-key: Camel would let the GPTIMAGE_API_KEY
     * variable override that one, even over the simulator's key.
     */
    public static final String API_KEY_PROPERTY = "gptimage.apikey";
    public static final String BASE_URL_PROPERTY = "camel.component.gptimage.base-url";
    /** How long a task stays GENERATING in the simulator started here. */
    public static final Duration SIMULATED_COMPLETION = Duration.ofSeconds(2);

    private final GptImageSimulator simulator;
    private final Map<String, String> properties;

    private ApiTarget(GptImageSimulator simulator, Map<String, String> properties) {
        this.simulator = simulator;
        this.properties = properties;
    }

    /**
     * Takes the key from the property {@value #API_KEY_PROPERTY} (in {@code properties}, then the system properties)
     * or the environment variable {@value #API_KEY_ENV}; without one, starts a simulator on a free port and reports
     * it to {@code warning}.
     */
    public static ApiTarget resolve(Map<String, String> properties, Map<String, String> env,
                                    Consumer<String> warning) {
        String apiKey = firstNonBlank(properties.get(API_KEY_PROPERTY), System.getProperty(API_KEY_PROPERTY),
                env.get(API_KEY_ENV));
        if (apiKey != null) {
            return new ApiTarget(null, Map.of(API_KEY_PROPERTY, apiKey));
        }
        // the simulator renders its PNGs with java.awt: no window system needed
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
        GptImageSimulator simulator = GptImageSimulator.builder().port(0).completionTime(SIMULATED_COMPLETION).build()
                .start();
        warning.accept("No " + API_KEY_ENV + " set: using the embedded GPT image API simulator at "
                       + simulator.baseUrl() + " (local images, nothing is paid). Set " + API_KEY_ENV
                       + " to use the real service.");
        return new ApiTarget(simulator, Map.of(API_KEY_PROPERTY, GptImageSimulator.DEFAULT_API_KEY,
                BASE_URL_PROPERTY, simulator.baseUrl()));
    }

    /** The component properties to override: the key, and with a simulator its base URL. */
    public Map<String, String> properties() {
        return properties;
    }

    /**
     * With a simulator, polls every second (it finishes a task in {@link #SIMULATED_COMPLETION}, so a demo is quick);
     * with the real service nothing, the application's own polling stays.
     */
    public Map<String, String> quickPollingProperties() {
        return simulator == null ? Map.of() : Map.of(
                "camel.component.gptimage.poll-initial-delay", "1s",
                "camel.component.gptimage.poll-max-interval", "1s");
    }

    /** The simulator started here; empty for the real service. */
    public Optional<GptImageSimulator> simulator() {
        return Optional.ofNullable(simulator);
    }

    /** Stops the simulator started here, if any. */
    @Override
    public void close() {
        if (simulator != null) {
            simulator.stop();
        }
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
