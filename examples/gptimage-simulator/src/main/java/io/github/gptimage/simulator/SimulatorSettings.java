package io.github.gptimage.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The options of one simulator, as set through {@link GptImageSimulator.Builder} or the command line. */
record SimulatorSettings(int port, Duration completionTime, Set<String> apiKeys, boolean acceptAnyApiKey,
                         boolean httpStatusErrors, Duration slowResponseDelay, int retryAfterSeconds,
                         int infoCallsPerSecond, boolean duplicateCallbacks, boolean lateCallbacks,
                         Duration lateCallbackDelay, List<Duration> callbackRetryDelays, double callbackRetryScale,
                         Duration callbackTimeout) {

    boolean accepts(String apiKey) {
        if (apiKey == null || apiKey.isBlank()) {
            return false;
        }
        return acceptAnyApiKey || apiKeys.contains(apiKey);
    }

    /** The delays before the retries of a failed callback attempt, multiplied by the scale. */
    List<Duration> scaledCallbackRetryDelays() {
        return callbackRetryDelays.stream()
                .map(delay -> Duration.ofNanos(Math.round(delay.toNanos() * callbackRetryScale)))
                .toList();
    }
}
