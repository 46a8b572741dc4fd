package io.github.gptimage.examples.filedrop;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import io.github.gptimage.camel.error.GptImageBadRequestException;
import io.github.gptimage.camel.error.GptImageGenerationFailedException;
import io.github.gptimage.camel.error.GptImageValidationException;
import io.github.gptimage.simulator.ApiCall;
import io.github.gptimage.simulator.ApiTarget;
import io.github.gptimage.simulator.GptImageSimulator;
import io.github.gptimage.simulator.Scenario;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Runs the application in-process on real folders and a real (simulated) API. */
class FileDropApplicationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Path inbox;
    private Path outbox;
    private Path error;
    private final ExecutorService runner = Executors.newSingleThreadExecutor();
    private GptImageSimulator simulator;
    private FileDropApplication app;
    private Future<Integer> exitCode;

    @BeforeEach
    void folders() {
        inbox = dir.resolve("inbox");
        outbox = dir.resolve("outbox");
        error = dir.resolve("error");
    }

    @AfterEach
    void shutDown() throws Exception {
        if (app != null) {
            app.stop();
            exitCode.get(30, TimeUnit.SECONDS);
        }
        runner.shutdownNow();
        if (simulator != null) {
            simulator.stop();
        }
    }

    @Test
    void byDefaultRunsTheBundledSamplesOnTheEmbeddedSimulatorAndExits() throws Exception {
        // no GPTIMAGE_API_KEY in this environment: the application starts its own simulator
        FileDropApplication once = new FileDropApplication(folderProperties(), Map.of());
        Future<Integer> done = runner.submit(() -> once.run());

        assertThat(done.get(45, TimeUnit.SECONDS)).as("exit code").isZero();
        assertThat(pngs(outbox)).containsExactly("city-at-night.png", "lighthouse.png", "mountain-lake.png",
                "robot-barista-1.png", "robot-barista-2.png");
        assertSize(outbox.resolve("lighthouse.png"), 1024, 1024);
        assertSize(outbox.resolve("mountain-lake.png"), 1536, 1024);
        assertSize(outbox.resolve("robot-barista-1.png"), 1024, 1536);
        assertSize(outbox.resolve("robot-barista-2.png"), 1024, 1536);
        assertThat(once.progress().outcomes()).hasSize(4).allMatch(FileDropProgress.Outcome::succeeded);
        assertThat(once.progress().outcomes().get(3).images())
                .containsExactly(outbox.resolve("robot-barista-1.png"), outbox.resolve("robot-barista-2.png"));
        assertThat(listing(inbox)).as("the inbox is emptied").isEmpty();
        assertThat(listing(error)).isEmpty();
    }

    @Test
    void turnsDroppedPromptsIntoImagesOfTheRequestedSizeAndCount() throws Exception {
        serve();

        drop("square.txt", "A red apple on a wooden table");
        drop("wide.txt", "size: 3:2\n\nA sailing boat on a calm sea");
        drop("tall.txt", "size: 2:3\nvariants: 2\n\nA tall stack of pancakes with syrup");

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(pngs(outbox))
                .containsExactly("square.png", "tall-1.png", "tall-2.png", "wide.png"));
        assertSize(outbox.resolve("square.png"), 1024, 1024);
        assertSize(outbox.resolve("wide.png"), 1536, 1024);
        assertSize(outbox.resolve("tall-1.png"), 1024, 1536);
        assertSize(outbox.resolve("tall-2.png"), 1024, 1536);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(listing(inbox)).isEmpty());
        assertThat(listing(error)).isEmpty();
        assertThat(simulator.stats().tasksCreated()).isEqualTo(3);
    }

    @Test
    void movesAFailedTaskAndARefusedPromptToTheErrorFolderWithTheReason() throws Exception {
        serve();

        drop("broken.txt", "A castle in the clouds [fail]");
        drop("refused.txt", "Something the content policy refuses [policy]");

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(listing(error)).containsExactly(
                "broken.txt", "broken.txt.error.txt", "refused.txt", "refused.txt.error.txt"));
        assertThat(Files.readString(error.resolve("broken.txt"))).isEqualTo("A castle in the clouds [fail]");
        assertThat(Files.readString(error.resolve("broken.txt.error.txt")))
                .startsWith("io.github.gptimage.camel.error.GptImageGenerationFailedException: GPT image task ")
                .contains("failed with code 400");
        assertThat(Files.readString(error.resolve("refused.txt.error.txt")))
                .startsWith("io.github.gptimage.camel.error.GptImageBadRequestException: ")
                .contains("400");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(listing(inbox)).isEmpty());
        assertThat(listing(outbox)).isEmpty();
        // a final error is not redelivered: one generate call per prompt
        assertThat(simulator.stats().generateCalls()).isEqualTo(2);
    }

    @Test
    void redeliversARetryableErrorUntilTheImageIsMade() throws Exception {
        serve();
        simulator.script(ApiCall.GENERATE, Scenario.MAINTENANCE, 1);
        simulator.script(ApiCall.GENERATE, Scenario.SERVER_ERROR, 1);

        drop("patient.txt", "A snail crossing a finish line");

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(pngs(outbox)).containsExactly("patient.png"));
        assertSize(outbox.resolve("patient.png"), 1024, 1024);
        assertThat(simulator.stats().generateCalls()).isEqualTo(3);
        assertThat(simulator.stats().tasksCreated()).isEqualTo(1);
        assertThat(listing(error)).isEmpty();
    }

    @Test
    void aFinalErrorAfterARetryableOneIsNotRedelivered() throws Exception {
        serve();
        simulator.script(ApiCall.GENERATE, Scenario.SERVER_ERROR, 1);
        simulator.script(ApiCall.GENERATE, Scenario.POLICY, 1);

        drop("unlucky.txt", "A lighthouse in a storm");

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(listing(error))
                .containsExactly("unlucky.txt", "unlucky.txt.error.txt"));
        assertThat(Files.readString(error.resolve("unlucky.txt.error.txt")))
                .startsWith("io.github.gptimage.camel.error.GptImageBadRequestException: ");
        // the 500, redelivered once; the 400 that followed is final
        assertThat(simulator.stats().generateCalls()).isEqualTo(2);
        assertThat(listing(outbox)).isEmpty();
    }

    @Test
    void aRateLimitIsRedeliveredAfterItsRetryAfter() throws Exception {
        serve();
        // answers 429 with Retry-After: 4 (see serve()), much longer than the test's 100 ms redelivery delay and
        // than the whole run of a prompt otherwise
        simulator.script(ApiCall.GENERATE, Scenario.RATE_LIMITED, 1);

        long dropped = System.nanoTime();
        drop("limited.txt", "A queue of snails at a ticket office");

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(pngs(outbox)).containsExactly("limited.png"));
        assertThat(Duration.ofNanos(System.nanoTime() - dropped)).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
        assertThat(simulator.stats().generateCalls()).isEqualTo(2);
        assertThat(listing(error)).isEmpty();
    }

    @Test
    void movesAPromptFileWithABadSettingToTheErrorFolderWithoutCallingTheApi() throws Exception {
        serve();

        drop("odd.txt", "size: 5:4\n\nA square that is not square");

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(listing(error))
                .containsExactly("odd.txt", "odd.txt.error.txt"));
        assertThat(Files.readString(error.resolve("odd.txt.error.txt")))
                .startsWith("io.github.gptimage.camel.error.GptImageValidationException: ")
                .contains("5:4");
        assertThat(simulator.stats().generateCalls()).isZero();
    }

    /** Starts the application in serve mode against a simulator of this test. */
    private void serve() {
        simulator = GptImageSimulator.builder().completionTime(Duration.ofMillis(500)).apiKey("test-key")
                .retryAfterSeconds(4).build().start();
        Map<String, String> properties = folderProperties();
        properties.put("gptimage.serve", "true");
        properties.put(ApiTarget.API_KEY_PROPERTY, "test-key");
        properties.put("camel.component.gptimage.base-url", simulator.baseUrl());
        properties.put("camel.component.gptimage.poll-initial-delay", "400ms");
        properties.put("camel.component.gptimage.poll-max-interval", "400ms");
        properties.put("gptimage.redelivery-delay", "100");
        app = new FileDropApplication(properties, Map.of());
        exitCode = runner.submit(() -> app.run());
        await().atMost(PATIENCE).until(app::isStarted);
    }

    private Map<String, String> folderProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("gptimage.inbox", inbox.toString());
        properties.put("gptimage.outbox", outbox.toString());
        properties.put("gptimage.error", error.toString());
        properties.put(FileDropApplication.STORE_URL_PROPERTY, "jdbc:h2:file:" + dir.resolve("store/gptimage")
                                                               + ";WRITE_DELAY=0");
        return properties;
    }

    /** Writes a prompt file next to the inbox and moves it in, as a well-behaved producer of files does. */
    private void drop(String name, String content) throws IOException {
        Path partial = dir.resolve(name + ".part");
        Files.writeString(partial, content);
        Files.move(partial, inbox.resolve(name));
    }

    private static void assertSize(Path png, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("%s is a PNG", png).isNotNull();
        assertThat(image.getWidth()).as("width of %s", png.getFileName()).isEqualTo(width);
        assertThat(image.getHeight()).as("height of %s", png.getFileName()).isEqualTo(height);
    }

    private static List<String> pngs(Path folder) throws IOException {
        return listing(folder).stream().filter(name -> name.endsWith(".png")).toList();
    }

    /** The visible files of a folder, sorted. */
    private static List<String> listing(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).map(path -> path.getFileName().toString())
                    .filter(name -> !name.startsWith(".")).sorted().toList();
        }
    }
}
