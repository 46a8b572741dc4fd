package io.github.gptimage.examples.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM, started as a user starts it ({@code java -jar ...}), with its standard output and error captured in one
 * file. Closing it stops the process: a normal stop (SIGTERM, which lets Camel Main shut down), then a kill after a
 * grace period. A JVM shutdown hook kills it too, should the test JVM end first.
 *
 * <pre>{@code
 * try (JavaProcess app = JavaProcess.builder().arguments("-jar", jar.toString()).workDir(dir)
 *         .env("GPTIMAGE_API_KEY", key).output(dir.resolve("app.log")).start()) {
 *     app.awaitOutput(Pattern.compile("started in"), Duration.ofSeconds(60));
 * }
 * }</pre>
 */
public final class JavaProcess implements AutoCloseable {

    /**
     * Prefixes of inherited environment variables that are dropped: the settings of the examples (a developer's own
     * GPTIMAGE_API_KEY, GPTIMAGE_SERVE, ESB_HTTP_PORT, ...) and Camel's, so that only what a test sets counts.
     */
    public static final List<String> DROPPED_ENV_PREFIXES = List.of("GPTIMAGE_", "ESB_", "YAML_", "CAMEL_");

    private static final Duration GRACE = Duration.ofSeconds(20);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String name;
    private final Process process;
    private final Path output;
    private final Thread killer;

    private JavaProcess(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
        this.killer = new Thread(process::destroyForcibly, name + "-killer");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The java launcher of the running JVM. */
    public static Path javaLauncher() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** Everything the process wrote to its standard output and error so far. */
    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until the output has a match of {@code pattern} and returns it.
     *
     * @throws AssertionError when the process ends or {@code timeout} passes first, with the output in the message
     */
    public Matcher awaitOutput(Pattern pattern, Duration timeout) throws InterruptedException {
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
            Thread.sleep(POLL.toMillis());
        }
    }

    /**
     * Waits for the process to end by itself and returns its exit code.
     *
     * @throws AssertionError when it is still running after {@code timeout}
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw failure("did not end within " + timeout);
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code once the process ended. */
    public Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /**
     * Kills the process at once, as {@code kill -9} does (and its children): no shutdown hook runs, nothing is
     * flushed or closed. Returns once it is gone.
     *
     * @throws AssertionError when it still runs after a grace period
     */
    public void killNow() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            throw failure("still runs " + GRACE + " after it was killed");
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    /**
     * Stops the process (and its children) if it still runs: SIGTERM, then a kill after a grace period, at once when
     * this thread is interrupted (a test timeout). Should it outlive even the kill, the shutdown hook stays.
     */
    @Override
    public void close() {
        boolean interrupted = false;
        try {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            interrupted = true;
            kill();
        }
        if (!process.isAlive()) {
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // still alive: the shutdown hook is kept
        }
    }

    private AssertionError failure(String what) {
        return new AssertionError(name + " " + what + "; its output (" + output + "):\n" + output());
    }

    /** How to start a {@link JavaProcess}. */
    public static final class Builder {

        private String name = "java";
        private final List<String> arguments = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private Path workDir = Path.of(".");
        private Path output;

        private Builder() {
        }

        /** A name for messages. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** The arguments of the java launcher: JVM options, {@code -jar <jar>} or a main class, program arguments. */
        public Builder arguments(String... arguments) {
            this.arguments.addAll(List.of(arguments));
            return this;
        }

        /** An environment variable of the process, on top of the inherited environment less the dropped prefixes. */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public Builder workDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        /** The file the standard output and error go to (replaced). */
        public Builder output(Path output) {
            this.output = output;
            return this;
        }

        public JavaProcess start() throws IOException {
            if (output == null) {
                throw new IllegalStateException("no output file");
            }
            List<String> command = new ArrayList<>();
            command.add(javaLauncher().toString());
            command.addAll(arguments);
            Files.createDirectories(workDir);
            Files.createDirectories(output.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.redirectInput(ProcessBuilder.Redirect.from(nullFile()));
            Map<String, String> environment = builder.environment();
            environment.keySet().removeIf(key -> DROPPED_ENV_PREFIXES.stream().anyMatch(key::startsWith));
            environment.putAll(env);
            return new JavaProcess(name, builder.start(), output);
        }

        private static java.io.File nullFile() {
            return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
        }
    }
}
