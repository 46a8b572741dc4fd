package io.github.gptimage.examples.yaml;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import io.github.gptimage.camel.error.GptImageGenerationFailedException;
import io.github.gptimage.simulator.ApiCall;
import io.github.gptimage.simulator.ApiTarget;
import io.github.gptimage.simulator.GptImageSimulator;
import io.github.gptimage.simulator.Scenario;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The YAML route, loaded by Camel Main from application.properties, on real folders and the embedded simulator. */
class YamlRouteTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final ExecutorService runner = Executors.newSingleThreadExecutor();
    private Main main;
    private Future<?> running;
    private ApiTarget api;

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

    /**
     * Runs Camel Main as the application does without GPTIMAGE_API_KEY (the simulator embedded); only the folders and
     * the given properties differ from application.properties.
     */
    private void start(Map<String, String> properties) {
        main = new Main();
        api = YamlRouteApplication.useApi(main, Map.of());
        main.addOverrideProperty("yaml.inbox", dir.resolve("inbox").toString());
        main.addOverrideProperty("yaml.outbox", dir.resolve("outbox").toString());
        main.addOverrideProperty("yaml.error", dir.resolve("error").toString());
        properties.forEach(main::addOverrideProperty);
        running = runner.submit(() -> {
            main.run();
            return null;
        });
        await().atMost(PATIENCE).until(() -> main.getCamelContext() != null && main.getCamelContext().isStarted());
    }

    private void drop(String name, String content) throws IOException {
        Files.createDirectories(dir.resolve("inbox"));
        Path partial = dir.resolve(name + ".part");
        Files.writeString(partial, content);
        Files.move(partial, dir.resolve("inbox").resolve(name));
    }

    private static void assertSize(Path png, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(width);
        assertThat(image.getHeight()).isEqualTo(height);
    }
}
