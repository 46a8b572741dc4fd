package io.github.gptimage.camel.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.gptimage.camel.GptImageComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.test.AvailablePortFinder;

/**
 * One node of a cluster: a CamelContext whose gptimage component keeps its tasks in a JDBC store on a shared
 * database ({@code dataSource}), with its own {@code nodeId}, short leases, optionally its own callback receiver
 * (platform-http on Vert.x on a free port), a route {@code direct:submit} to generate and a {@code tasks} consumer
 * route recording each completion.
 */
final class Node implements AutoCloseable {

    /** Poll settings short enough for tests: the API's floor of 3 calls a second, and a second at most. */
    static final String POLL_OPTIONS = "pollInitialDelay=334&pollMaxInterval=1000";

    final String id;
    final CamelContext context;
    final ProducerTemplate template;
    /** The port of this node's callback receiver, or 0 without callbacks. */
    final int callbackPort;
    private final HikariDataSource ownPool;
    private Thread stopping;

    private Node(Builder builder) throws Exception {
        this.id = builder.id;
        this.ownPool = builder.ownPool;
        this.callbackPort = builder.callbacks ? AvailablePortFinder.getNextAvailable() : 0;
        context = new DefaultCamelContext();
        context.getShutdownStrategy().setTimeout(5);
        GptImageComponent component = context.getComponent("gptimage", GptImageComponent.class);
        component.setDataSource(builder.dataSource);
        component.setTablePrefix(builder.tablePrefix);
        component.setNodeId(builder.id);
        component.setLeaseDuration(builder.leaseDuration.toMillis());
        component.getConfiguration().setMaxConcurrentPolls(builder.maxConcurrentPolls);
        if (builder.callbacks) {
            VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
            server.setBindPort(callbackPort);
            context.addService(new VertxPlatformHttpServer(server));
            component.setCallbackBaseUrl("http://localhost:" + callbackPort);
            component.setVerifyCallbacks(builder.verifyCallbacks);
        }
        // the routes are added once the context (and its HTTP server) runs: generate's producer starts the callback
        // receiver, which needs the server's router
        context.start();
        String api = "apiKey=RAW(" + ClusterApi.API_KEY + ")&baseUrl=" + builder.apiBaseUrl;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:submit").routeId("submit")
                        .to("gptimage:generate?" + api + "&" + POLL_OPTIONS
                            + (builder.generateOptions.isEmpty() ? "" : "&" + builder.generateOptions));
                if (builder.completions != null) {
                    from("gptimage:tasks?" + api + "&initialDelay=0&delay=250").routeId("tasks")
                            .onException(Exception.class).handled(true)
                            .process(exchange -> builder.completions.record(builder.id, exchange)).end()
                            .process(exchange -> builder.completions.record(builder.id, exchange))
                            .delay(builder.completionRouteTime.toMillis());
                }
            }
        });
        template = context.createProducerTemplate();
    }

    static Builder builder(String id, DataSource dataSource, String tablePrefix, String apiBaseUrl) {
        return new Builder(id, dataSource, tablePrefix, apiBaseUrl);
    }

    /** Submits a prompt through {@code direct:submit} and returns the exchange (its failure, if any, is on it). */
    Exchange submit(String prompt, Map<String, Object> headers) {
        return template.send("direct:submit", exchange -> {
            exchange.getMessage().setBody(prompt);
            exchange.getMessage().setHeaders(new HashMap<>(headers));
        });
    }

    /** The URL under which this node receives callbacks. */
    String callbackPrefix() {
        return "http://localhost:" + callbackPort + "/gptimage/callback/";
    }

    /**
     * The node dies: its database connections go at once (a dead node writes nothing more, not even on its way down),
     * and its context stops in the background (closing HTTP connections with calls in flight takes a few seconds).
     * Its leases stay in the table until they expire.
     */
    void die() {
        if (ownPool != null) {
            ownPool.close();
        }
        stopping = new Thread(this::close, id + "-stopping");
        stopping.start();
    }

    @Override
    public synchronized void close() {
        if (!context.isStopped()) {
            try {
                template.close();
            } catch (Exception e) {
                // stopping anyway
            }
            context.stop();
        }
        if (ownPool != null) {
            ownPool.close();
        }
    }

    /** Waits for a node that {@link #die died} to have stopped. */
    void awaitStopped() throws InterruptedException {
        if (stopping != null) {
            stopping.join(30_000);
        }
    }

    static final class Builder {
        private final String id;
        private final DataSource dataSource;
        private final String tablePrefix;
        private final String apiBaseUrl;
        private HikariDataSource ownPool;
        private Duration leaseDuration = Duration.ofSeconds(3);
        private int maxConcurrentPolls = 50;
        private boolean callbacks;
        private boolean verifyCallbacks = true;
        private Completions completions;
        private String generateOptions = "";
        private Duration completionRouteTime = Duration.ZERO;

        private Builder(String id, DataSource dataSource, String tablePrefix, String apiBaseUrl) {
            this.id = id;
            this.dataSource = dataSource;
            this.tablePrefix = tablePrefix;
            this.apiBaseUrl = apiBaseUrl;
            if (dataSource instanceof HikariDataSource pool) {
                ownPool = pool;
            }
        }

        Builder leaseDuration(Duration leaseDuration) {
            this.leaseDuration = leaseDuration;
            return this;
        }

        Builder maxConcurrentPolls(int maxConcurrentPolls) {
            this.maxConcurrentPolls = maxConcurrentPolls;
            return this;
        }

        /** A callback receiver of its own, on a free port. */
        Builder callbacks(boolean verify) {
            this.callbacks = true;
            this.verifyCallbacks = verify;
            return this;
        }

        /** A tasks consumer that records each completion in {@code completions}. */
        Builder tasksConsumer(Completions completions) {
            this.completions = completions;
            return this;
        }

        /** How long the tasks route takes after recording a completion (a slow route, holding its thread). */
        Builder completionRouteTime(Duration time) {
            this.completionRouteTime = time;
            return this;
        }

        Builder generateOptions(String options) {
            this.generateOptions = options;
            return this;
        }

        Node start() throws Exception {
            return new Node(this);
        }
    }
}
