package io.github.gptimage.examples.esb;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import io.github.gptimage.simulator.GptImageSimulator;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ESB workflow example: a Camel Main service that takes image orders over REST, learns of their completion by
 * callback and posts the results downstream. Without the {@code GPTIMAGE_API_KEY} environment variable it runs the
 * GPT image API simulator embedded.
 */
public final class EsbWorkflowApplication {

    public static final String API_KEY_ENV = "GPTIMAGE_API_KEY";
    /** Not gptimage.api-key: Camel would let the GPTIMAGE_API_KEY variable override that one. */
    static final String API_KEY_PROPERTY = "gptimage.key";
    static final String BASE_URL_PROPERTY = "camel.component.gptimage.base-url";
    static final Duration SIMULATED_COMPLETION = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger("esb-workflow");

    private final Map<String, String> properties;
    private final Map<String, String> env;
    private final Main main = new Main();
    private volatile GptImageSimulator simulator;

    public EsbWorkflowApplication(Map<String, String> properties, Map<String, String> env) {
        this.properties = new LinkedHashMap<>(properties);
        this.env = env;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
        Map<String, String> properties = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                properties.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else {
                System.err.println("usage: EsbWorkflowApplication [--name=value ...]   (application properties)");
                System.exit(2);
            }
        }
        new EsbWorkflowApplication(properties, System.getenv()).run();
    }

    /** Runs until {@link #stop()} or the JVM is asked to exit. */
    public void run() throws Exception {
        try {
            configure();
            main.run();
        } finally {
            if (simulator != null) {
                simulator.stop();
            }
        }
    }

    public void stop() {
        main.completed();
    }

    public boolean isStarted() {
        CamelContext context = main.getCamelContext();
        return context != null && context.isStarted();
    }

    private void configure() {
        Properties overrides = new Properties();
        String apiKey = firstNonBlank(properties.get(API_KEY_PROPERTY), System.getProperty(API_KEY_PROPERTY),
                env.get(API_KEY_ENV));
        if (apiKey == null) {
            simulator = GptImageSimulator.builder().port(0).completionTime(SIMULATED_COMPLETION).build().start();
            overrides.put(API_KEY_PROPERTY, GptImageSimulator.DEFAULT_API_KEY);
            overrides.put(BASE_URL_PROPERTY, simulator.baseUrl());
            LOG.warn("No {} set: using the embedded GPT image API simulator at {} (nothing is paid)."
                     + " Set {} to use the real service.", API_KEY_ENV, simulator.baseUrl(), API_KEY_ENV);
        } else {
            overrides.put(API_KEY_PROPERTY, apiKey);
        }
        overrides.putAll(properties);
        main.setOverrideProperties(overrides);
        main.configure().addRoutesBuilder(new OrderRoutes.Intake());
        main.configure().addRoutesBuilder(new OrderRoutes.Completion());
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport support) {
                startHttpServer(support.getCamelContext());
            }

            @Override
            public void afterStart(BaseMainSupport support) {
                PropertiesComponent config = support.getCamelContext().getPropertiesComponent();
                String publicUrl = config.resolveProperty("esb.public-url").orElseThrow();
                LOG.info("Orders: POST {}/orders   results go to {}   callbacks come to {}/gptimage/callback/...",
                        publicUrl, config.resolveProperty("esb.result-url").orElseThrow(), publicUrl);
                LOG.info("Try: curl -i -X POST {}/orders -H 'Content-Type: application/json'"
                         + " -d '{\"orderId\":\"o-1\",\"prompt\":\"A lighthouse at dawn\",\"size\":\"3:2\"}'",
                        publicUrl);
            }
        });
    }

    /**
     * The HTTP server of orders and callbacks: Camel's platform-http on Vert.x. (camel-platform-http-main would make
     * it {@code camel.server.enabled=true}; this registers the same server by hand.)
     */
    private static void startHttpServer(CamelContext context) {
        PropertiesComponent config = context.getPropertiesComponent();
        VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
        server.setBindHost(config.resolveProperty("esb.http.host").orElse("0.0.0.0"));
        server.setBindPort(Integer.parseInt(config.resolveProperty("esb.http.port").orElse("8080")));
        try {
            context.addService(new VertxPlatformHttpServer(server), true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP server on port " + server.getBindPort(), e);
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
