package io.github.gptimage.examples.filedrop;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import io.github.gptimage.examples.testing.JavaProcess;
import io.github.gptimage.examples.testing.ProcessTests;
import io.github.gptimage.examples.testing.StandaloneSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} in the middle of a run, then a restart, as a user does it: {@code java -jar gptimage-file-drop.jar
 * --serve} in its own process against the simulator's standalone jar (tasks take 8 s), 10 prompt files dropped into
 * the inbox, the process killed (no shutdown hook runs) once the service got all 10 submits and before any image is
 * written, then started again on the same folders and task store (the H2 file under {@code target/file-drop/store}).
 * Every image is made exactly once, and the service is paid once per prompt: 10 generate calls in all.
 */
class FileDropRestartProcessIT {

    private static final int PROMPTS = 10;
    private static final Duration COMPLETION = Duration.ofSeconds(8);
    private static final Pattern STARTED = Pattern.compile("Started file-drop \\(file://");

    @Test
    @Timeout(300)
    void aKillDuringARunAndARestartMakeEveryImageOnceAndPayEveryPromptOnce() throws Exception {
        Path work = ProcessTests.freshFolder("file-drop-restart");
        String key = ProcessTests.uniqueApiKey();
        Path inbox = work.resolve("target/file-drop/inbox");
        Path outbox = work.resolve("target/file-drop/outbox");
        try (StandaloneSimulator service = StandaloneSimulator.start(key, COMPLETION, work.resolve("simulator.log"))) {
            String firstOutput;
            List<String> madeBeforeTheKill;
            try (JavaProcess first = start(work, key, service, "file-drop-1.log")) {
                first.awaitOutput(STARTED, Duration.ofSeconds(90));
                for (int i = 1; i <= PROMPTS; i++) {
                    drop(work, inbox, name(i), prompt(i));
                }
                awaitStat(service, "generateCalls", PROMPTS, Duration.ofSeconds(90), first);
                // the answers of the last submits reach the application and are recorded in its store within
                // milliseconds; the tasks take 8 s and are first polled 10 s after their submit: none is done yet
                Thread.sleep(2000);
                first.killNow();
                madeBeforeTheKill = pngs(outbox);
                firstOutput = first.output();
            }
            assertThat(madeBeforeTheKill).as("images before the kill").isEmpty();
            assertThat(service.stat("tasksCreated")).isEqualTo(PROMPTS);
            assertThat(files(inbox)).as("the prompt files wait in the inbox").contains(name(1), name(PROMPTS));

            try (JavaProcess second = start(work, key, service, "file-drop-2.log")) {
                second.awaitOutput(STARTED, Duration.ofSeconds(90));
                long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
                while (pngs(outbox).size() < PROMPTS || !files(inbox).isEmpty()) {
                    assertThat(System.nanoTime()).as("10 images within 150 s of the restart; have %s, inbox %s; "
                            + "output:%n%s", pngs(outbox), files(inbox), second.output()).isLessThan(deadline);
                    Thread.sleep(250);
                }
                List<String> expected = IntStream.rangeClosed(1, PROMPTS)
                        .mapToObj(i -> name(i).replace(".txt", ".png")).toList();
                assertThat(pngs(outbox)).containsExactlyElementsOf(expected);
                for (String png : expected) {
                    BufferedImage image = ImageIO.read(outbox.resolve(png).toFile());
                    assertThat(image).as("%s is a PNG", png).isNotNull();
                }
                assertThat(files(work.resolve("target/file-drop/error"))).isEmpty();
                // paid once per prompt: the restart sent no generate, it waited for the tasks of the first run
                assertThat(service.stat("generateCalls")).isEqualTo(PROMPTS);
                assertThat(service.stat("tasksCreated")).isEqualTo(PROMPTS);
                String output = second.output();
                assertThat(count(output, "SUBMIT  prompt-")).isEqualTo(PROMPTS);
                assertThat(count(output, "DONE    prompt-")).isEqualTo(PROMPTS);
                assertThat(count(output, "(submitted before the restart)")).isEqualTo(PROMPTS);
                assertThat(output).doesNotContain("ERROR").doesNotContain("FAILED");
                assertThat(firstOutput).doesNotContain(key);
                assertThat(output).doesNotContain(key);
            }
            assertThat(service.output()).doesNotContain(key);
        }
    }

    private static JavaProcess start(Path work, String key, StandaloneSimulator service, String log)
            throws IOException {
        return JavaProcess.builder().name(log.replace(".log", ""))
                .arguments("-jar", ProcessTests.exampleJar().toString(), "--serve")
                .env("GPTIMAGE_API_KEY", key)
                .env("GPTIMAGE_BASE_URL", service.baseUrl())
                .workDir(work).output(work.resolve(log)).start();
    }

    private static void awaitStat(StandaloneSimulator service, String stat, long value, Duration timeout,
                                  JavaProcess app) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (service.stat(stat) < value) {
            assertThat(app.isAlive()).as("the application runs; output:%n%s", app.output()).isTrue();
            assertThat(System.nanoTime()).as("%s reaches %d within %s; output:%n%s", stat, value, timeout,
                    app.output()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static String name(int i) {
        return String.format("prompt-%02d.txt", i);
    }

    private static String prompt(int i) {
        String[] subjects = {"a red apple", "a lighthouse", "a sailing boat", "a fox in the snow", "a tea pot",
            "a mountain hut", "a city tram", "a paper crane", "a desert cactus", "a violin"};
        return (i % 3 == 0 ? "size: 3:2\n\n" : "") + "A watercolour of " + subjects[i - 1] + ", number " + i;
    }

    /** Writes a prompt file beside the inbox and moves it in. */
    private static void drop(Path work, Path inbox, String name, String content) throws IOException {
        Path partial = work.resolve(name + ".part");
        Files.writeString(partial, content);
        Files.move(partial, inbox.resolve(name));
    }

    private static int count(String text, String part) {
        Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    private static List<String> pngs(Path folder) throws IOException {
        return files(folder).stream().filter(name -> name.endsWith(".png")).toList();
    }

    /** The visible files of a folder, sorted (Camel's lock files and temporary files left out). */
    private static List<String> files(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return new ArrayList<>(files.filter(Files::isRegularFile).map(path -> path.getFileName().toString())
                    .filter(name -> !name.startsWith(".") && !name.endsWith(".camelLock")).sorted().toList());
        }
    }
}
