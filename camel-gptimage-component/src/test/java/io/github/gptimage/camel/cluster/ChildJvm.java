package io.github.gptimage.camel.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM on the test JVM's classpath (with surefire's manifest-only jar, {@code java.class.path} names that jar,
 * which works as {@code -cp} too), its standard output and error in one file. {@link #kill()} is {@code kill -9}
 * ({@link Process#destroyForcibly()} sends SIGKILL on Linux): no shutdown hook, no finally block, no Camel shutdown
 * runs in the child. {@link #close()} kills it too, for a {@code finally}.
 */
final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path output;

    private ChildJvm(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
    }

    /** Starts {@code main} with {@code arguments}, its output going to {@code output}. */
    static ChildJvm start(String name, Class<?> main, Path output, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        return new ChildJvm(name, process, output);
    }

    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The output lines that start with {@code prefix}. */
    List<String> lines(String prefix) {
        return output().lines().filter(line -> line.startsWith(prefix)).toList();
    }

    /**
     * Waits until the output has a match of {@code pattern} and returns it.
     *
     * @throws AssertionError when the child ends or {@code timeout} passes first, with its output in the message
     */
    Matcher awaitOutput(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Matcher matcher = pattern.matcher(output());
            if (matcher.find()) {
                return matcher;
            }
            if (!process.isAlive()) {
                throw failure("ended with exit code " + process.exitValue() + " before its output matched " + pattern);
            }
            if (System.nanoTime() > deadline) {
                throw failure("did not write a match of " + pattern + " within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** Waits until {@code condition} holds on the output. */
    void awaitOutput(java.util.function.Predicate<ChildJvm> condition, String what, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(this)) {
            if (!process.isAlive()) {
                throw failure("ended with exit code " + process.exitValue() + " before " + what);
            }
            if (System.nanoTime() > deadline) {
                throw failure("did not reach " + what + " within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** {@code kill -9}, and waits for the process to be gone; returns its exit code (137: killed by SIGKILL). */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw failure("outlived SIGKILL for 30 s");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private AssertionError failure(String what) {
        return new AssertionError(name + " " + what + "; its output:\n" + output());
    }
}
