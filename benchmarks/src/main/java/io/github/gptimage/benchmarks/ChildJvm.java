package io.github.gptimage.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server (the API simulator, or the submit scenario's stub server) in a JVM of its own, started from this JVM's
 * class path, so that its threads, heap and CPU time are not counted as the benchmarked client's. It prints
 * {@code ... listening on http://localhost:PORT} when ready; its other output is dropped unless {@code -Dbench.verbose}.
 */
final class ChildJvm implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("listening on (http://localhost:(\\d+))");
    private static final boolean VERBOSE = Boolean.getBoolean("bench.verbose");

    private final String name;
    private final Process process;
    private final String baseUrl;

    private ChildJvm(String name, Process process, String baseUrl) {
        this.name = name;
        this.process = process;
        this.baseUrl = baseUrl;
    }

    static ChildJvm start(String name, List<String> jvmOptions, String mainClass, List<String> args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    Matcher matcher = READY.matcher(line);
                    if (!ready.isDone() && matcher.find()) {
                        ready.complete(matcher.group(1));
                    }
                    if (VERBOSE) {
                        System.out.println("  [" + name + "] " + line);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            ready.completeExceptionally(new IllegalStateException(name + " ended before it was ready"));
        }, "bench-" + name + "-output");
        reader.setDaemon(true);
        reader.start();
        try {
            String baseUrl = ready.get(60, TimeUnit.SECONDS);
            ChildJvm child = new ChildJvm(name, process, baseUrl);
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            return child;
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("Could not start " + name + " (" + String.join(" ", command) + "): " + e,
                    e);
        }
    }

    String baseUrl() {
        return baseUrl;
    }

    /** The CPU time the child process used so far (user + system), as the OS reports it. */
    Duration cpuTime() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " at " + baseUrl + " (pid " + process.pid() + ")";
    }
}
