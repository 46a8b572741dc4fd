package io.github.gptimage.examples.yaml;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import io.github.gptimage.camel.error.GptImageGenerationFailedException;
import io.github.gptimage.simulator.ApiCall;
import io.github.gptimage.simulator.ApiTarget;
import io.github.gptimage.simulator.GptImageSimulator;
import io.github.gptimage.simulator.Scenario;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The YAML route, loaded by Camel Main from application.properties, on real folders and the embedded simulator. */
class YamlRouteTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String API_KEY = "yaml-test-key";
    /** The modification time of the dropped prompt files, so that a file can be put back as it was. */
    private static final FileTime MODIFIED = FileTime.from(Instant.parse("2025-01-02T03:04:05.678Z"));

    @TempDir
    Path dir;

    private final ExecutorService runner = Executors.newSingleThreadExecutor();
    private Main main;
    private Future<?> running;
    private ApiTarget api;
    private GptImageSimulator service;

    @AfterEach
    void stop() throws Exception {
        if (main != null) {
            main.completed();
            running.get(30, TimeUnit.SECONDS);
        }
        runner.shutdownNow();
        if (api != null) {
            api.close();
        }
        if (service != null) {
            service.stop();
        }
    }

    @Test
    void promptFilesBecomeImagesOfTheRequestedSizeAndFailuresGoToTheErrorFolder() throws Exception {
        start(Map.of());
        assertThat(main.getCamelContext().getRoute("yaml-file-drop").getSourceLocationShort())
                .startsWith("file-drop.camel.yaml");

        drop("desert.txt", "size: 3:2\n\nA wide desert at noon\n");
        drop("apple.txt", "A red apple on a wooden table\n");
        drop("castle.txt", "A castle in the clouds [fail]\n");

        Path wide = dir.resolve("outbox/desert.png");
        Path square = dir.resolve("outbox/apple.png");
        await().atMost(PATIENCE).until(() -> Files.exists(wide) && Files.exists(square));
        assertSize(wide, 1536, 1024);
        assertSize(square, 1024, 1024);
        Path report = dir.resolve("error/castle.txt.error.txt");
        await().atMost(PATIENCE).until(() -> Files.exists(report) && Files.size(report) > 0);
        assertThat(Files.readString(report))
                .startsWith("io.github.gptimage.camel.error.GptImageGenerationFailedException: ");
        assertThat(dir.resolve("error/castle.txt")).hasContent("A castle in the clouds [fail]\n");
        assertThat(api.simulator().orElseThrow().stats().tasksCreated()).isEqualTo(3);
    }

    @Test
    void aFinalErrorAfterARetryableOneIsNotRedelivered() throws Exception {
        start(Map.of("yaml.redelivery-delay", "100"));
        GptImageSimulator simulator = api.simulator().orElseThrow();
        simulator.script(ApiCall.GENERATE, Scenario.SERVER_ERROR, 1);
        simulator.script(ApiCall.GENERATE, Scenario.POLICY, 1);

        drop("unlucky.txt", "A lighthouse in a storm\n");

        Path report = dir.resolve("error/unlucky.txt.error.txt");
        await().atMost(PATIENCE).until(() -> Files.exists(report) && Files.size(report) > 0);
        assertThat(Files.readString(report)).startsWith("io.github.gptimage.camel.error.GptImageBadRequestException: ");
        // the 500, redelivered once; the 400 that followed is final
        assertThat(simulator.stats().generateCalls()).isEqualTo(2);
    }

    @Test
    void retryableErrorsAreRedeliveredUpToTheConfiguredCount() throws Exception {
        start(Map.of("yaml.redelivery-delay", "100", "yaml.redeliveries", "2"));
        GptImageSimulator simulator = api.simulator().orElseThrow();
        simulator.script(ApiCall.GENERATE, Scenario.SERVER_ERROR, 5);

        drop("hopeless.txt", "A lighthouse in a hurricane\n");

        Path report = dir.resolve("error/hopeless.txt.error.txt");
        await().atMost(PATIENCE).until(() -> Files.exists(report) && Files.size(report) > 0);
        assertThat(Files.readString(report)).startsWith("io.github.gptimage.camel.error.GptImageServerException: ");
        assertThat(simulator.stats().generateCalls()).isEqualTo(3);
    }

    @Test
    @Timeout(120)
    void aPromptPendingAtAStopIsWaitedForAfterTheRestartAndPaidOnce() throws Exception {
        GptImageSimulator service = standaloneService();
        // first polled 15 s after its submit (a task keeps the schedule of its submit): after the stop, by the restart
        startOn(service, Map.of("camel.component.gptimage.poll-initial-delay", "15s"));
        drop("apple.txt", "A red apple on a wooden table\n");
        await().atMost(PATIENCE).until(() -> storedTasks() == 1);
        stopMain();
        assertThat(listing("inbox")).as("the file waits in the inbox").contains("apple.txt");
        assertThat(listing("outbox")).isEmpty();

        startOn(service, Map.of());

        await().atMost(Duration.ofSeconds(40)).until(() -> listing("inbox").isEmpty());
        assertThat(listing("outbox")).containsExactly("apple.png");
        assertSize(dir.resolve("outbox/apple.png"), 1024, 1024);
        assertThat(listing("error")).isEmpty();
        assertThat(service.stats().generateCalls()).as("paid once").isEqualTo(1);
    }

    @Test
    @Timeout(120)
    void aFileStillInTheInboxAfterItsImageWasWrittenIsNeitherSentNorWrittenAgain() throws Exception {
        GptImageSimulator service = standaloneService();
        startOn(service, Map.of());
        drop("plum.txt", "A plum in a bowl\n");
        await().atMost(PATIENCE).until(() -> listing("inbox").isEmpty());
        stopMain();
        assertThat(listing("outbox")).containsExactly("plum.png");
        FileTime written = Files.getLastModifiedTime(dir.resolve("outbox/plum.png"));
        // the task was delivered and removed, but the stop came before the file consumer deleted the file: put back
        drop("plum.txt", "A plum in a bowl\n");

        startOn(service, Map.of());

        await().atMost(PATIENCE).until(() -> listing("inbox").isEmpty());
        assertThat(listing("outbox")).containsExactly("plum.png");
        assertThat(Files.getLastModifiedTime(dir.resolve("outbox/plum.png"))).as("not written again")
                .isEqualTo(written);
        assertThat(listing("error")).isEmpty();
        assertThat(service.stats().generateCalls()).as("paid once").isEqualTo(1);
    }

    /**
     * Runs Camel Main as the application does without GPTIMAGE_API_KEY (the simulator embedded); only the folders, the
     * store's file and the given properties differ from application.properties.
     */
    private void start(Map<String, String> properties) {
        main = new Main();
        api = YamlRouteApplication.useApi(main, Map.of());
        run(properties);
    }

    /** Runs Camel Main as the application does with GPTIMAGE_API_KEY set, on {@code service}. */
    private void startOn(GptImageSimulator service, Map<String, String> properties) {
        main = new Main();
        YamlRouteApplication.useApi(main, Map.of(ApiTarget.API_KEY_ENV, API_KEY)).close();
        main.addOverrideProperty(ApiTarget.BASE_URL_PROPERTY, service.baseUrl());
        main.addOverrideProperty("camel.component.gptimage.poll-initial-delay", "400ms");
        main.addOverrideProperty("camel.component.gptimage.poll-max-interval", "400ms");
        // a stop does not wait for the exchanges that wait for their tasks: they are left as a kill leaves them
        main.addOverrideProperty("camel.main.shutdown-timeout", "1");
        run(properties);
    }

    private void run(Map<String, String> properties) {
        main.addOverrideProperty("yaml.inbox", dir.resolve("inbox").toString());
        main.addOverrideProperty("yaml.outbox", dir.resolve("outbox").toString());
        main.addOverrideProperty("yaml.error", dir.resolve("error").toString());
        main.addOverrideProperty("yaml.store-url", storeUrl());
        properties.forEach(main::addOverrideProperty);
        running = runner.submit(() -> {
            main.run();
            return null;
        });
        await().atMost(PATIENCE).until(() -> main.getCamelContext() != null && main.getCamelContext().isStarted());
    }

    private void stopMain() throws Exception {
        main.completed();
        running.get(30, TimeUnit.SECONDS);
        main = null;
    }

    /** A simulator that outlives the application's restarts, taking {@link #API_KEY}. */
    private GptImageSimulator standaloneService() {
        service = GptImageSimulator.builder().port(0).completionTime(Duration.ofSeconds(2)).apiKey(API_KEY).build()
                .start();
        return service;
    }

    private String storeUrl() {
        return "jdbc:h2:file:" + dir.resolve("store/gptimage") + ";WRITE_DELAY=0;DB_CLOSE_DELAY=-1";
    }

    /** The tasks in the application's store, pending or final; -1 before its tables exist. */
    private int storedTasks() {
        try (Connection connection = DriverManager.getConnection(storeUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM gptimage_task")) {
            rows.next();
            return rows.getInt(1);
        } catch (SQLException tableNotYetThere) {
            return -1;
        }
    }

    /** The files of a folder of the application, without Camel's read lock markers. */
    private List<String> listing(String folder) throws IOException {
        Path path = dir.resolve(folder);
        if (!Files.isDirectory(path)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(path)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> !name.endsWith(".camelLock"))
                    .sorted().toList();
        }
    }

    /** Writes a prompt file beside the inbox and moves it in, with the modification time {@link #MODIFIED}. */
    private void drop(String name, String content) throws IOException {
        Files.createDirectories(dir.resolve("inbox"));
        Path partial = dir.resolve(name + ".part");
        Files.writeString(partial, content);
        Files.setLastModifiedTime(partial, MODIFIED);
        Files.move(partial, dir.resolve("inbox").resolve(name));
    }

    private static void assertSize(Path png, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(width);
        assertThat(image.getHeight()).isEqualTo(height);
    }
}
