package io.github.gptimage.examples.filedrop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.github.gptimage.simulator.ApiTarget;
import io.github.gptimage.simulator.ExampleArguments;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file-drop example: a Camel Main application that turns prompt files dropped into an inbox into PNG images.
 *
 * <p>By default it drops the bundled sample prompts into the inbox, waits until each has its image (or its error
 * report), prints where they are and exits. With {@code --serve} it keeps watching the inbox. Without the
 * {@code GPTIMAGE_API_KEY} environment variable it runs the GPT image API simulator embedded.
 */
public final class FileDropApplication {

    static final String SAMPLES = "classpath:samples/*.txt";
    /** The JDBC URL of the task store (application.properties). */
    static final String STORE_URL_PROPERTY = "gptimage.store-url";

    private static final Logger LOG = LoggerFactory.getLogger("file-drop");

    private final Map<String, String> properties;
    private final Map<String, String> env;
    private final FileDropProgress progress = new FileDropProgress();
    private final Main main = new Main();
    private volatile ApiTarget api;
    private volatile boolean serve;

    /**
     * @param properties Camel Main properties that win over application.properties (folders, {@code gptimage.serve},
     *                   {@code camel.component.gptimage.*}, ...)
     * @param env        the environment, where {@value ApiTarget#API_KEY_ENV} is looked up
     */
    public FileDropApplication(Map<String, String> properties, Map<String, String> env) {
        this.properties = new LinkedHashMap<>(properties);
        this.env = env;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> properties = new LinkedHashMap<>();
        List<String> camelArgs = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--serve")) {
                properties.put("gptimage.serve", "true");
            } else if (arg.equals("--once")) {
                properties.put("gptimage.serve", "false");
            } else if (arg.equals("--help")) {
                System.out.println("""
                        usage: java -jar gptimage-file-drop.jar [--once | --serve] [--name=value ...]
                          --once        drop the bundled sample prompts into the inbox, wait for them, exit (default)
                          --serve       keep running: every *.txt dropped into the inbox becomes PNG images
                          --name=value  any application property, e.g. --gptimage.inbox=/tmp/inbox
                        environment: GPTIMAGE_API_KEY  the key of the real API; without it the simulator is embedded""");
                return;
            } else if (!ExampleArguments.putProperty(arg, properties)) {
                camelArgs.add(arg); // Camel Main's own options
            }
        }
        System.exit(new FileDropApplication(properties, System.getenv()).run(camelArgs.toArray(String[]::new)));
    }

    /**
     * Runs the application until it is done (run-once mode), {@link #stop() stopped} or the JVM is asked to exit.
     *
     * @return 0 when every awaited prompt file got its images, 1 otherwise
     */
    public int run(String... camelArgs) throws Exception {
        try {
            configure();
            main.run(camelArgs);
        } finally {
            closeDataSources();
            if (api != null) {
                api.close();
            }
        }
        if (!serve) {
            progress.logSummary();
        }
        boolean allSucceeded = progress.outcomes().stream().allMatch(FileDropProgress.Outcome::succeeded);
        return main.getExitCode() != 0 ? main.getExitCode() : allSucceeded ? 0 : 1;
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

    /** Asks a running application to stop. */
    public void stop() {
        main.completed();
    }

    /** True once the routes run. */
    public boolean isStarted() {
        CamelContext context = main.getCamelContext();
        return context != null && context.isStarted();
    }

    public FileDropProgress progress() {
        return progress;
    }

    private void configure() {
        Properties overrides = new Properties();
        api = ApiTarget.resolve(properties, env, LOG::warn);
        overrides.putAll(api.properties());
        overrides.putAll(api.quickPollingProperties());
        overrides.putAll(properties);
        main.setOverrideProperties(overrides);
        main.configure().addRoutesBuilder(new FileDropRoutes(progress));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport support) {
                prepareFolders(support.getCamelContext());
            }
        });
    }

    /** Creates the folders and, in run-once mode, drops the samples into the inbox. */
    private void prepareFolders(CamelContext context) {
        PropertiesComponent config = context.getPropertiesComponent();
        Path inbox = folder(config, "gptimage.inbox");
        Path outbox = folder(config, "gptimage.outbox");
        Path error = folder(config, "gptimage.error");
        serve = Boolean.parseBoolean(config.resolveProperty("gptimage.serve").orElse("false"));
        if (api.simulator().isEmpty()) {
            LOG.info("Using the GPT image API at {}",
                    config.resolveProperty(ApiTarget.BASE_URL_PROPERTY).orElse("(default)"));
        }
        LOG.info("Inbox:  {}", inbox);
        LOG.info("Outbox: {}", outbox);
        LOG.info("Errors: {}", error);
        LOG.info("Tasks:  {}", config.resolveProperty(STORE_URL_PROPERTY).orElse("(in memory)"));
        if (serve) {
            LOG.info("Serving: every *.txt dropped into the inbox becomes PNG images in the outbox (Ctrl+C to stop)");
            return;
        }
        Map<String, Resource> samples = new TreeMap<>();
        try {
            for (Resource sample : PluginHelper.getPackageScanResourceResolver(context).findResources(SAMPLES)) {
                samples.put(Path.of(sample.getLocation()).getFileName().toString(), sample);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot list the bundled samples " + SAMPLES, e);
        }
        progress.await(samples.keySet(), main::completed);
        List<String> left = new ArrayList<>();
        for (Map.Entry<String, Resource> sample : samples.entrySet()) {
            // written under a temporary name and renamed, so the file consumer never reads half a file
            Path target = inbox.resolve(sample.getKey());
            if (Files.exists(target)) {
                // left by a run that was stopped before its images came: as it is, it keeps its idempotency key, and
                // gets the task of that run instead of paying again
                left.add(sample.getKey());
                continue;
            }
            Path partial = inbox.resolve("." + sample.getKey() + ".part");
            try (InputStream in = sample.getValue().getInputStream()) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot drop the sample " + sample.getKey() + " into " + inbox, e);
            }
        }
        if (!left.isEmpty()) {
            LOG.info("Kept {} sample prompt(s) an earlier run left in the inbox: {}", left.size(),
                    String.join(", ", left));
        }
        if (left.size() < samples.size()) {
            LOG.info("Dropped {} sample prompts into the inbox: {}; waiting for their images",
                    samples.size() - left.size(),
                    samples.keySet().stream().filter(name -> !left.contains(name)).collect(Collectors.joining(", ")));
        }
    }

    private static Path folder(PropertiesComponent config, String key) {
        Path folder = Path.of(config.resolveProperty(key)
                .orElseThrow(() -> new IllegalStateException("the property " + key + " is not set")))
                .toAbsolutePath().normalize();
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + folder, e);
        }
        return folder;
    }
}
