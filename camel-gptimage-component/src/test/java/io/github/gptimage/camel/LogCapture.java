package io.github.gptimage.camel;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;

/**
 * Captures the log4j2 output of the test JVM (the SLF4J binding on the test classpath) while open, as "LEVEL logger -
 * message" lines (with the stack trace of a logged exception), optionally only from a level up or with some loggers'
 * levels raised, and restores them on close.
 */
public final class LogCapture implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Map<String, Level> previousLevels = new HashMap<>();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final AbstractAppender appender;

    private LogCapture(Level minimumLevel, Map<String, Level> levels) {
        appender = new AbstractAppender("capture-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                StringBuilder line = new StringBuilder()
                        .append(event.getLevel()).append(' ').append(event.getLoggerName()).append(" - ")
                        .append(event.getMessage().getFormattedMessage());
                if (event.getThrown() != null) {
                    StringWriter trace = new StringWriter();
                    event.getThrown().printStackTrace(new PrintWriter(trace));
                    line.append('\n').append(trace);
                }
                lines.add(line.toString());
            }
        };
        appender.start();
        Configuration before = context.getConfiguration();
        levels.forEach((name, level) -> previousLevels.put(name, before.getLoggerConfig(name).getName().equals(name)
                ? before.getLoggerConfig(name).getLevel() : null));
        Configurator.setLevel(levels);
        Configuration config = context.getConfiguration();
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, minimumLevel, null);
        context.updateLoggers();
    }

    /** Captures at the levels already configured. */
    public static LogCapture start() {
        return new LogCapture(Level.ALL, Map.of());
    }

    /** Captures the events at WARN and above, at the levels already configured. */
    public static LogCapture warnings() {
        return new LogCapture(Level.WARN, Map.of());
    }

    /** Captures with the given loggers raised (or lowered) to the given levels. */
    public static LogCapture withLevels(Map<String, Level> levels) {
        return new LogCapture(Level.ALL, levels);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The lines that contain {@code text}. */
    public List<String> linesContaining(String text) {
        return lines.stream().filter(line -> line.contains(text)).toList();
    }

    public String text() {
        return String.join("\n", lines);
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        config.getRootLogger().removeAppender(appender.getName());
        Map<String, Level> restore = new HashMap<>();
        previousLevels.forEach((name, level) -> restore.put(name, level != null ? level : config.getRootLogger().getLevel()));
        Configurator.setLevel(restore);
        context.updateLoggers();
        appender.stop();
    }
}
