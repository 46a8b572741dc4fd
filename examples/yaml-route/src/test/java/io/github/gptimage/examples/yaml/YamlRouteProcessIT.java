package io.github.gptimage.examples.yaml;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import io.github.gptimage.examples.testing.JavaProcess;
import io.github.gptimage.examples.testing.ProcessTests;
import io.github.gptimage.examples.testing.StandaloneSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The YAML route as a paying user starts it against the real service: {@code java -jar gptimage-yaml-route.jar} in a
 * separate process, with {@code GPTIMAGE_API_KEY} and {@code GPTIMAGE_BASE_URL} in its environment, the service being
 * the simulator's standalone jar (another process). Prompt files dropped into its inbox become PNGs in its outbox.
 */
class YamlRouteProcessIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    @Timeout(180)
    void promptFilesBecomeImagesOnTheServiceOfTheEnvironmentAndTheKeyIsNeverPrinted() throws Exception {
        Path work = ProcessTests.freshFolder("yaml-route");
        String key = ProcessTests.uniqueApiKey();
        try (StandaloneSimulator service = StandaloneSimulator.start(key, Duration.ofSeconds(1),
                work.resolve("simulator.log"))) {
            try (JavaProcess app = JavaProcess.builder().name("yaml-route")
                    .arguments("-jar", ProcessTests.exampleJar().toString())
                    .env("GPTIMAGE_API_KEY", key)
                    .env("GPTIMAGE_BASE_URL", service.baseUrl())
                    .workDir(work).output(work.resolve("yaml-route.log")).start()) {
                app.awaitOutput(Pattern.compile("Started yaml-file-drop"), PATIENCE);

                Path inbox = Files.createDirectories(work.resolve("target/yaml-route/inbox"));
                drop(work, inbox, "desert.txt", "size: 3:2\n\nA wide desert at noon\n");
                drop(work, inbox, "apple.txt", "A red apple on a wooden table\n");

                Path wide = work.resolve("target/yaml-route/outbox/desert.png");
                Path square = work.resolve("target/yaml-route/outbox/apple.png");
                // the application's own polling: first after 10 s
                await().atMost(PATIENCE).until(() -> Files.exists(wide) && Files.exists(square));
                assertSize(wide, 1536, 1024);
                assertSize(square, 1024, 1024);
                assertThat(service.stat("tasksCreated")).isEqualTo(2);

                String output = app.output();
                assertThat(output).doesNotContain("No GPTIMAGE_API_KEY set");
                assertThat(output).as("the application's output").doesNotContain(key)
                        .contains("Property-placeholders summary")
                        .contains("gptimage.apikey = xxxxxx")
                        .contains("camel.component.gptimage.apiKey = xxxxxx");
            }
            assertThat(service.output()).as("the simulator's output").doesNotContain(key);
        }
    }

    /** Writes a prompt file beside the inbox and moves it in, as a well-behaved producer of files does. */
    private static void drop(Path work, Path inbox, String name, String content) throws IOException {
        Path partial = work.resolve(name + ".part");
        Files.writeString(partial, content);
        Files.move(partial, inbox.resolve(name));
    }

    private static void assertSize(Path png, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("%s is a PNG", png).isNotNull();
        assertThat(image.getWidth()).isEqualTo(width);
        assertThat(image.getHeight()).isEqualTo(height);
    }
}
