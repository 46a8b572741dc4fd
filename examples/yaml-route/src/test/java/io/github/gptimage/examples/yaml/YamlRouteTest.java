package io.github.gptimage.examples.yaml;

import io.github.gptimage.camel.error.GptImageGenerationFailedException;
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

import io.github.gptimage.simulator.ApiTarget;
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
        main = new Main();
        // what the application does without GPTIMAGE_API_KEY; only the folders differ from application.properties
        api = YamlRouteApplication.useApi(main, Map.of());
        main.addOverrideProperty("yaml.inbox", dir.resolve("inbox").toString());
        main.addOverrideProperty("yaml.outbox", dir.resolve("outbox").toString());
        main.addOverrideProperty("yaml.error", dir.resolve("error").toString());
        running = runner.submit(() -> {
            main.run();
            return null;
        });
        await().atMost(PATIENCE).until(() -> main.getCamelContext() != null && main.getCamelContext().isStarted());
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
