package io.github.gptimage.benchmarks;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;

/**
 * Counts the WARN and ERROR log events per message template (a failed poll, a rate-limited call), so that a scenario
 * can say how many there were even though the console shows only a few a second.
 */
final class LogCounter extends AbstractAppender {

    private static LogCounter installed;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    private LogCounter() {
        super("bench-counter", null, null, true, Property.EMPTY_ARRAY);
    }

    static synchronized LogCounter get() {
        if (installed == null) {
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            Configuration config = context.getConfiguration();
            LogCounter counter = new LogCounter();
            counter.start();
            config.addAppender(counter);
            config.getRootLogger().addAppender(counter, Level.WARN, null);
            context.updateLoggers();
            installed = counter;
        }
        return installed;
    }

    @Override
    public void append(LogEvent event) {
        String template = event.getMessage().getFormat();
        String key = event.getLevel() + " " + event.getLoggerName().replaceAll(".*\\.", "") + ": "
                     + (template != null ? template : event.getMessage().getFormattedMessage());
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** The counts since the last call, and starts counting anew. */
    synchronized Map<String, Long> drain() {
        Map<String, Long> drained = new TreeMap<>();
        counts.forEach((key, count) -> drained.put(key, count.sumThenReset()));
        drained.values().removeIf(count -> count == 0);
        return drained;
    }

    /** Prints the warnings counted since the last drain into {@code report}. */
    static void summarize(Report report) {
        Map<String, Long> drained = get().drain();
        if (drained.isEmpty()) {
            report.figure("WARN/ERROR log events", "none");
            return;
        }
        drained.forEach((template, count) -> report.figure("log events " + count + "x", template));
    }
}
