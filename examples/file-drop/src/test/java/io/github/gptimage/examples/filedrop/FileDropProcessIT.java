package io.github.gptimage.examples.filedrop;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import io.github.gptimage.examples.testing.JavaProcess;
import io.github.gptimage.examples.testing.ProcessTests;
import io.github.gptimage.examples.testing.StandaloneSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The main job as a paying user starts it against the real service: {@code java -jar gptimage-file-drop.jar} in a
 * separate process, with {@code GPTIMAGE_API_KEY} and {@code GPTIMAGE_BASE_URL} in its environment, the service being
 * the simulator's standalone jar (another process) that accepts that key only. Everything else is the application's
 * defaults: the bundled samples, the folders under the working directory, polling after 10 s.
 */
class FileDropProcessIT {

    @Test
    @Timeout(180)
    void theMainJobMakesTheSampleImagesOnTheServiceOfTheEnvironmentAndNeverPrintsTheKey() throws Exception {
        Path work = ProcessTests.freshFolder("file-drop");
        String key = ProcessTests.uniqueApiKey();
        try (StandaloneSimulator service = StandaloneSimulator.start(key, Duration.ofSeconds(1),
                work.resolve("simulator.log"))) {
            try (JavaProcess app = JavaProcess.builder().name("file-drop")
                    .arguments("-jar", ProcessTests.exampleJar().toString())
                    .env("GPTIMAGE_API_KEY", key)
                    .env("GPTIMAGE_BASE_URL", service.baseUrl())
                    .workDir(work).output(work.resolve("file-drop.log")).start()) {

                assertThat(app.awaitExit(Duration.ofSeconds(120))).as("exit code; output:%n%s", app.output())
                        .isZero();

                Path outbox = work.resolve("target/file-drop/outbox");
                assertThat(pngs(outbox)).containsExactly("city-at-night.png", "lighthouse.png", "mountain-lake.png",
                        "robot-barista-1.png", "robot-barista-2.png");
                assertSize(outbox.resolve("city-at-night.png"), 1024, 1024);
                assertSize(outbox.resolve("lighthouse.png"), 1024, 1024);
                assertSize(outbox.resolve("mountain-lake.png"), 1536, 1024);
                assertSize(outbox.resolve("robot-barista-1.png"), 1024, 1536);
                assertSize(outbox.resolve("robot-barista-2.png"), 1024, 1536);
                assertThat(files(work.resolve("target/file-drop/error"))).isEmpty();
                // the service of the environment did the work, one paid call per sample: no embedded simulator
                assertThat(service.stat("tasksCreated")).isEqualTo(4);
                assertThat(service.stat("generateCalls")).isEqualTo(4);

                String output = app.output();
                assertThat(output).contains("Using the GPT image API at " + service.baseUrl())
                        .contains("4 prompt file(s) done: 4 succeeded, 0 failed")
                        .doesNotContain("No GPTIMAGE_API_KEY set");
                assertKeyNeverPrinted(output, key);
            }
            assertThat(service.output()).as("the simulator's output").doesNotContain(key);
        }
    }

    /** The key is nowhere in the output, while Camel's summary of the property that holds it is there, masked. */
    static void assertKeyNeverPrinted(String output, String key) {
        assertThat(output).as("the application's output").doesNotContain(key)
                .containsPattern("Property-placeholders summary")
                .containsPattern("gptimage\\.apikey = xxxxxx")
                .containsPattern("camel\\.component\\.gptimage\\.apiKey = xxxxxx");
    }

    private static void assertSize(Path png, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("%s is a PNG", png).isNotNull();
        assertThat(image.getWidth()).as("width of %s", png.getFileName()).isEqualTo(width);
        assertThat(image.getHeight()).as("height of %s", png.getFileName()).isEqualTo(height);
    }

    private static List<String> pngs(Path folder) throws IOException {
        return files(folder).stream().filter(name -> name.endsWith(".png")).toList();
    }

    private static List<String> files(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
