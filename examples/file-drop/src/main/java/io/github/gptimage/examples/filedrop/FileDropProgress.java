package io.github.gptimage.examples.filedrop;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

import io.github.gptimage.camel.GptImageConstants;
import io.github.gptimage.camel.error.GptImageException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What became of each prompt file: called by the route when a prompt's images are written or when it went to the
 * error folder. In the run-once mode it also knows which files it waits for and says when they are all done.
 */
public class FileDropProgress {

    private static final Logger LOG = LoggerFactory.getLogger("file-drop");

    /** The result of one prompt file: the images written, or the error report. */
    public record Outcome(String promptFile, String taskId, List<Path> images, Path errorReport, String error) {
        public boolean succeeded() {
            return errorReport == null;
        }
    }

    private final Map<String, Outcome> outcomes = new ConcurrentSkipListMap<>();
    private final Set<String> awaited = ConcurrentHashMap.newKeySet();
    private volatile Runnable whenAllDone = () -> { };

    /** Waits for these prompt files; {@code whenAllDone} runs once all of them succeeded or failed. */
    public void await(Collection<String> promptFiles, Runnable whenAllDone) {
        this.whenAllDone = whenAllDone;
        awaited.addAll(promptFiles);
    }

    /** Route step after the images of a prompt are written; the body is the path, or the list of paths, written. */
    public void succeeded(Exchange exchange) {
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        List<Path> images = new ArrayList<>();
        Object body = exchange.getMessage().getBody();
        if (body instanceof Collection<?> written) {
            written.forEach(path -> images.add(Path.of(path.toString()).toAbsolutePath().normalize()));
        } else {
            images.add(Path.of(String.valueOf(body)).toAbsolutePath().normalize());
        }
        String taskId = exchange.getMessage().getHeader(GptImageConstants.TASK_ID, String.class);
        Duration took = Duration.ofMillis(exchange.getClock().elapsed());
        // a repeated submit: the file was submitted before a restart, its key was known, nothing was sent again
        boolean repeated = exchange.getMessage().getHeader(GptImageConstants.REPEATED_SUBMIT, false, Boolean.class);
        LOG.info("DONE    {}  task {}{} in {} s: {}", name, taskId, repeated ? " (submitted before the restart)" : "",
                String.format("%.1f", took.toMillis() / 1000.0),
                images.stream().map(path -> path.getFileName().toString()).toList());
        done(new Outcome(name, taskId, List.copyOf(images), null, null));
    }

    /**
     * Route step for a prompt file whose task was delivered before a restart ({@link EarlierOutcome}): the body is the
     * list of its images' paths, or the header {@value EarlierOutcome#ERROR_REPORT} names its error report.
     */
    public void madeBefore(Exchange exchange) {
        Message message = exchange.getMessage();
        String name = message.getHeader(Exchange.FILE_NAME_ONLY, String.class);
        String taskId = message.getHeader(GptImageConstants.TASK_ID, String.class);
        String report = message.getHeader(EarlierOutcome.ERROR_REPORT, String.class);
        if (report != null) {
            LOG.warn("FAILED  {}  task {} failed before the restart: nothing sent again, see {}", name, taskId, report);
            done(new Outcome(name, taskId, List.of(), Path.of(report), "failed before the restart"));
            return;
        }
        List<Path> images = new ArrayList<>();
        for (Object path : message.getBody(Collection.class)) {
            images.add(Path.of(path.toString()));
        }
        LOG.info("DONE    {}  task {} before the restart: nothing sent again, already there: {}", name, taskId,
                images.stream().map(path -> path.getFileName().toString()).toList());
        done(new Outcome(name, taskId, List.copyOf(images), null, null));
    }

    /** Dead-letter step after a failed prompt was moved to the error folder with its report. */
    public void failed(Exchange exchange) {
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        Path report = Path.of(exchange.getMessage().getHeader(Exchange.FILE_NAME_PRODUCED, String.class))
                .toAbsolutePath().normalize();
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String error = cause == null ? "unknown error" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        String taskId = cause instanceof GptImageException known ? known.getTaskId() : null;
        LOG.warn("FAILED  {}  {} (moved to {})", name, error, report.getParent());
        done(new Outcome(name, taskId, List.of(), report, error));
    }

    private void done(Outcome outcome) {
        outcomes.put(outcome.promptFile(), outcome);
        if (awaited.remove(outcome.promptFile()) && awaited.isEmpty()) {
            whenAllDone.run();
        }
    }

    public List<Outcome> outcomes() {
        return List.copyOf(outcomes.values());
    }

    /** Logs where every image and error report is. */
    public void logSummary() {
        List<Outcome> all = outcomes();
        long ok = all.stream().filter(Outcome::succeeded).count();
        LOG.info("{} prompt file(s) done: {} succeeded, {} failed", all.size(), ok, all.size() - ok);
        for (Outcome outcome : all) {
            if (outcome.succeeded()) {
                outcome.images().forEach(image -> LOG.info("  {}  ->  {}", outcome.promptFile(), image));
            } else {
                LOG.info("  {}  ->  FAILED, see {}", outcome.promptFile(), outcome.errorReport());
            }
        }
    }
}
