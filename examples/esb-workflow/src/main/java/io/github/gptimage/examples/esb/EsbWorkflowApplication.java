package io.github.gptimage.examples.esb;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import javax.sql.DataSource;

import io.github.gptimage.simulator.ApiTarget;
import io.github.gptimage.simulator.ExampleArguments;
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

    private static final Logger LOG = LoggerFactory.getLogger("esb-workflow");

    private final Map<String, String> properties;
    private final Map<String, String> env;
    private final Main main = new Main();
    private volatile ApiTarget api;

    public EsbWorkflowApplication(Map<String, String> properties, Map<String, String> env) {
        this.properties = new LinkedHashMap<>(properties);
        this.env = env;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String arg : args) {
            if (!ExampleArguments.putProperty(arg, properties)) {
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
            closeDataSources();
            if (api != null) {
                api.close();
            }
        }
    }

    /** Closes the pool of the task store (Camel leaves the beans it created open), so that H2 closes its file. */
    private void closeDataSources() {
        CamelContext context = main.getCamelContext();
        if (context == null) {
            return;
        }
        for (DataSource dataSource : context.getRegistry().findByType(DataSource.class)) {
            if (dataSource instanceof AutoCloseable pool) {
                try {
                    pool.close();
                } catch (Exception e) {
                    LOG.warn("Closing the task store's connection pool failed: {}", e.toString());
                }
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
        api = ApiTarget.resolve(properties, env, LOG::warn);
        overrides.putAll(api.properties());
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
                LOG.info("Tasks: {} (node {})", config.resolveProperty("esb.store-url").orElse("(in memory)"),
                        config.resolveProperty("camel.component.gptimage.node-id").orElse("with a generated name"));
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
}
