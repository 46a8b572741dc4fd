package io.github.gptimage.examples.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GPT image API simulator as a user runs it in place of the real service: its standalone jar
 * ({@code java -jar gptimage-simulator-<version>-standalone.jar --port 0 --api-key KEY}) in a child JVM, listening on a
 * free port, accepting one key. Its admin API gives the call counts. Closing it stops the process.
 */
public final class StandaloneSimulator implements AutoCloseable {

    /** The system property with the path of the standalone jar (the examples' failsafe configuration sets it). */
    public static final String JAR_PROPERTY = "gptimage.simulator.jar";

    private static final Pattern LISTENING = Pattern.compile("listening on (http://localhost:\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final JavaProcess process;
    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private StandaloneSimulator(JavaProcess process, String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    /**
     * Starts the simulator from the jar named by {@value #JAR_PROPERTY}, accepting {@code apiKey} only, finishing a task
     * in {@code completionTime}, writing its output to {@code output}; returns once it listens.
     */
    public static StandaloneSimulator start(String apiKey, Duration completionTime, Path output)
            throws IOException, InterruptedException {
        return start(apiKey, completionTime, output, new String[0]);
    }

    /**
     * Starts the simulator as {@link #start(String, Duration, Path)} does, with more of its command-line options (for
     * example {@code "--callback-retry-delays", "3s,10s,30s"}).
     */
    public static StandaloneSimulator start(String apiKey, Duration completionTime, Path output, String... options)
            throws IOException, InterruptedException {
        String jar = System.getProperty(JAR_PROPERTY);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("the simulator's standalone jar is not at " + JAR_PROPERTY + "=" + jar
                                            + " (the failsafe configuration of the examples copies it there)");
        }
        JavaProcess process = JavaProcess.builder().name("simulator")
                .arguments("-Djava.awt.headless=true", "-jar", jar, "--port", "0", "--api-key", apiKey,
                        "--completion-time", completionTime.toMillis() + "ms")
                .arguments(options)
                .workDir(output.toAbsolutePath().getParent()).output(output).start();
        try {
            Matcher listening = process.awaitOutput(LISTENING, START_TIMEOUT);
            return new StandaloneSimulator(process, listening.group(1));
        } catch (RuntimeException | Error | InterruptedException e) {
            process.close();
            throw e;
        }
    }

    /** {@code http://localhost:PORT}, what GPTIMAGE_BASE_URL is set to. */
    public String baseUrl() {
        return baseUrl;
    }

    /** Everything the simulator wrote to its standard output and error so far. */
    public String output() {
        return process.output();
    }

    /** A counter of the admin API's stats: generateCalls, infoCalls, fileDownloads, tasksCreated, callbacksDelivered. */
    public long stat(String name) throws IOException, InterruptedException {
        String stats = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/__sim/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher value = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*(\\d+)").matcher(stats);
        if (!value.find()) {
            throw new AssertionError("no " + name + " in the simulator's stats " + stats);
        }
        return Long.parseLong(value.group(1));
    }

    /** Downloads a result URL of the simulator (no key needed). */
    public byte[] download(String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + url + " answered " + response.statusCode());
        }
        return response.body();
    }

    @Override
    public void close() {
        process.close();
    }
}
