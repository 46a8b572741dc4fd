package io.github.gptimage.examples.filedrop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.Exchange;

/**
 * What an earlier run left of a prompt file whose task was delivered before the file was deleted: the application
 * stopped (killed) between the end of the file's exchange and the file consumer's delete. The file is then picked up
 * again; its idempotency key is known, so nothing is sent, and the generate only gives the task id back. The images
 * (or the error report) were written by the exchange that got the task's completion.
 */
public final class EarlierOutcome {

    /** The header with the error report of an earlier run, when the task had failed. */
    public static final String ERROR_REPORT = "FileDropErrorReport";

    private final Path outbox;
    private final Path error;

    public EarlierOutcome(Path outbox, Path error) {
        this.outbox = outbox.toAbsolutePath().normalize();
        this.error = error.toAbsolutePath().normalize();
    }

    /**
     * Route step: the body becomes the paths of the prompt file's images in the outbox ({@code name.png} or
     * {@code name-1.png}, ...); when there are none but an error report, the header {@value #ERROR_REPORT} names it.
     *
     * @throws IllegalStateException when neither is there (removed since): the prompt file then goes to the error
     *                               folder with the reason, and a copy dropped anew (a new modification time) makes its
     *                               images again
     */
    public void find(Exchange exchange) {
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        String taskId = exchange.getMessage().getBody(String.class);
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        Pattern image = Pattern.compile(Pattern.quote(base) + "(-\\d+)?\\.png");
        List<Path> images = list(outbox).stream()
                .filter(path -> image.matcher(path.getFileName().toString()).matches()).sorted().toList();
        if (!images.isEmpty()) {
            exchange.getMessage().setBody(images.stream().map(Path::toString).toList());
            return;
        }
        Path report = error.resolve(name + ".error.txt");
        if (Files.isRegularFile(report)) {
            exchange.getMessage().setHeader(ERROR_REPORT, report.toString());
            exchange.getMessage().setBody(List.of());
            return;
        }
        throw new IllegalStateException("GPT image task " + taskId + " of " + name + " was completed and delivered"
                                        + " before (same file name and modification time), but neither its images nor"
                                        + " its error report are there any more; drop a new copy of the file to make"
                                        + " (and pay for) its images again");
    }

    private static List<Path> list(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }
}
