package io.github.gptimage.camel.cluster;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.github.gptimage.camel.GptImageComponent;
import io.github.gptimage.camel.GptImageConstants;
import io.github.gptimage.camel.task.TaskState;
import io.github.gptimage.camel.task.jdbc.JdbcTaskStore;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The node a test kills with {@code kill -9}: a JVM of its own running a CamelContext whose gptimage component keeps
 * its tasks in a JDBC store ({@code dataSource}), a route that submits {@code tasks} prompts, and optionally a
 * {@code tasks} consumer route whose exchanges stay in the route (a delay far longer than the test). It reports on its
 * standard output, one line each: {@code SUBMITTED n}, {@code STORED pending=p final=f} every 100 ms, and
 * {@code IN_ROUTE taskId} for each completion exchange that entered the route. It halts by itself after
 * {@code lifetime} seconds, should the test not kill it.
 * <p>
 * Arguments, as {@code name=value}: {@code jdbcUrl}, {@code prefix}, {@code api} (the API's base URL), {@code node},
 * {@code lease} (ms), {@code tasks}, {@code consumer} ({@code none} or {@code blocking}), {@code lifetime} (s).
 */
public final class ChildNode {

    private ChildNode() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            options.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "child-node-timer");
            thread.setDaemon(true);
            return thread;
        });
        long lifetime = Long.parseLong(options.getOrDefault("lifetime", "60"));
        timers.schedule(() -> {
            out.println("LIFETIME OVER");
            Runtime.getRuntime().halt(3);
        }, lifetime, TimeUnit.SECONDS);

        String prefix = options.get("prefix");
        HikariDataSource dataSource = Databases.pool(options.get("jdbcUrl"), 8);
        CamelContext context = new DefaultCamelContext();
        GptImageComponent component = context.getComponent("gptimage", GptImageComponent.class);
        component.setDataSource(dataSource);
        component.setTablePrefix(prefix);
        component.setNodeId(options.get("node"));
        component.setLeaseDuration(Long.parseLong(options.get("lease")));
        component.getConfiguration().setMaxConcurrentPolls(50);
        String api = "apiKey=RAW(" + ClusterApi.API_KEY + ")&baseUrl=" + options.get("api");
        boolean blocking = "blocking".equals(options.get("consumer"));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:submit").to("gptimage:generate?" + api + "&" + Node.POLL_OPTIONS);
                if (blocking) {
                    // the exchange stays in the route, holding no thread, until the JVM is killed
                    from("gptimage:tasks?" + api + "&initialDelay=0&delay=250").routeId("tasks")
                            .process(exchange -> out.println("IN_ROUTE "
                                    + exchange.getMessage().getHeader(GptImageConstants.TASK_ID, String.class)))
                            .delay(Duration.ofMinutes(10).toMillis()).asyncDelayed()
                            .log("completed ${header.CamelGptImageTaskId}");
                }
            }
        });
        context.start();
        out.println("STARTED");

        JdbcTaskStore store = JdbcTaskStore.builder(dataSource).tablePrefix(prefix).build();
        timers.scheduleWithFixedDelay(() -> {
            try {
                out.println("STORED pending=" + store.count(TaskState.PENDING) + " final=" + store.count(TaskState.FINAL));
            } catch (RuntimeException e) {
                out.println("STORE FAILED " + e.getMessage());
            }
        }, 0, 100, TimeUnit.MILLISECONDS);

        int tasks = Integer.parseInt(options.get("tasks"));
        try (ProducerTemplate template = context.createProducerTemplate()) {
            for (int i = 0; i < tasks; i++) {
                Exchange submitted = template.send("direct:submit",
                        exchange -> exchange.getMessage().setBody("A lighthouse at dawn"));
                if (submitted.getException() != null) {
                    out.println("SUBMIT FAILED " + submitted.getException());
                }
            }
        }
        out.println("SUBMITTED " + tasks);
        Thread.sleep(TimeUnit.SECONDS.toMillis(lifetime));
    }
}
