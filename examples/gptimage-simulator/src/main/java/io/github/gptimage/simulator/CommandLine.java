package io.github.gptimage.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns the arguments of the standalone simulator into a {@link GptImageSimulator.Builder}. */
final class CommandLine {

    static final int DEFAULT_PORT = 8089;

    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: java -jar gptimage-simulator-<version>-standalone.jar [options]",
            "  --port N                    port to listen on (default " + DEFAULT_PORT + ", 0 = any free port)",
            "  --completion-time D         how long a task is GENERATING (default 3s)",
            "  --api-key KEY               an accepted x-api-key; repeat for more (default "
                    + GptImageSimulator.DEFAULT_API_KEY + ")",
            "  --any-api-key               accept any non-blank key",
            "  --http-status-errors        send errors with their real HTTP status, not HTTP 200",
            "  --slow-delay D              delay of the [slow] scenario (default 20s)",
            "  --retry-after N             Retry-After seconds of the [429] scenario (default 2)",
            "  --info-calls-per-second N   task-details rate limit per task (default 3)",
            "  --duplicate-callbacks       deliver every callback twice",
            "  --late-callbacks            deliver every callback late",
            "  --late-callback-delay D     how late a late callback is (default 5s)",
            "  --callback-retry-delays L   delays before the retries of a failed callback, comma-separated",
            "                              (default 1m,5m,15m; none = no retries)",
            "  --callback-retry-scale F    multiply the callback retry delays by F (default 1, e.g. 0.01)",
            "  --callback-timeout D        how long a callback receiver has to answer (default 15s)",
            "  --help                      this text",
            "Durations: 500ms, 5s, 2m or ISO-8601 (PT5S).");

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m)");

    private CommandLine() {
    }

    static GptImageSimulator.Builder parse(String... args) {
        GptImageSimulator.Builder builder = GptImageSimulator.builder().port(DEFAULT_PORT);
        List<String> apiKeys = new ArrayList<>();
        Iterator<String> it = List.of(args).iterator();
        while (it.hasNext()) {
            String option = it.next();
            switch (option) {
                case "--port" -> builder.port(Integer.parseInt(value(option, it)));
                case "--completion-time" -> builder.completionTime(duration(value(option, it)));
                case "--api-key" -> apiKeys.add(value(option, it));
                case "--any-api-key" -> builder.acceptAnyApiKey(true);
                case "--http-status-errors" -> builder.httpStatusErrors(true);
                case "--slow-delay" -> builder.slowResponseDelay(duration(value(option, it)));
                case "--retry-after" -> builder.retryAfterSeconds(Integer.parseInt(value(option, it)));
                case "--info-calls-per-second" -> builder.infoCallsPerSecond(Integer.parseInt(value(option, it)));
                case "--duplicate-callbacks" -> builder.duplicateCallbacks(true);
                case "--late-callbacks" -> builder.lateCallbacks(true);
                case "--late-callback-delay" -> builder.lateCallbackDelay(duration(value(option, it)));
                case "--callback-retry-delays" -> builder.callbackRetryDelays(durations(value(option, it)));
                case "--callback-retry-scale" -> builder.callbackRetryScale(Double.parseDouble(value(option, it)));
                case "--callback-timeout" -> builder.callbackTimeout(duration(value(option, it)));
                default -> throw new IllegalArgumentException("Unknown option " + option);
            }
        }
        if (!apiKeys.isEmpty()) {
            builder.apiKeys(apiKeys.toArray(String[]::new));
        }
        return builder;
    }

    /** A comma-separated list of durations; {@code none} (or nothing) is the empty list. */
    static List<Duration> durations(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty() || trimmed.equalsIgnoreCase("none")) {
            return List.of();
        }
        return Arrays.stream(trimmed.split(",")).map(String::trim).map(CommandLine::duration).toList();
    }

    static Duration duration(String text) {
        Matcher simple = SIMPLE_DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (!simple.matches()) {
            return Duration.parse(text);
        }
        long amount = Long.parseLong(simple.group(1));
        return switch (simple.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMinutes(amount);
        };
    }

    private static String value(String option, Iterator<String> it) {
        if (!it.hasNext()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return it.next();
    }
}
