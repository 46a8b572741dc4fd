package io.github.gptimage.examples.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/** What a process test of an example needs besides the processes: the example's jar, a folder, a port, a key. */
public final class ProcessTests {

    /** The system property with the path of the example's runnable jar (the examples' failsafe configuration). */
    public static final String EXAMPLE_JAR_PROPERTY = "example.jar";

    private ProcessTests() {
    }

    /** The example's runnable jar, as {@code mvn package} leaves it (its dependencies in lib/ beside it). */
    public static Path exampleJar() {
        String jar = System.getProperty(EXAMPLE_JAR_PROPERTY);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("no runnable jar at " + EXAMPLE_JAR_PROPERTY + "=" + jar
                                            + ": process tests run in the integration-test phase, after package");
        }
        return Path.of(jar).toAbsolutePath();
    }

    /**
     * An empty folder {@code target/process-tests/<name>} of the module (emptied if it exists): the working directory
     * of the processes and the place of their output files, kept after the test for a look.
     */
    public static Path freshFolder(String name) throws IOException {
        Path folder = Path.of("target", "process-tests", name).toAbsolutePath();
        if (Files.exists(folder)) {
            try (Stream<Path> paths = Files.walk(folder)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        return Files.createDirectories(folder);
    }

    /** A port nobody listens on right now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** An API key that appears nowhere but where it is given, so that finding it in an output means a leak. */
    public static String uniqueApiKey() {
        return "sk-test-" + UUID.randomUUID().toString().replace("-", "");
    }
}
