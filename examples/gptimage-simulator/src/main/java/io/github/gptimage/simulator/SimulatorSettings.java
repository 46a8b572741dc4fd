package io.github.gptimage.simulator;

import java.time.Duration;
import java.util.Set;

/** The options of one simulator, as set through {@link GptImageSimulator.Builder} or the command line. */
record SimulatorSettings(int port, Duration completionTime, Set<String> apiKeys, boolean acceptAnyApiKey,
                         boolean httpStatusErrors, Duration slowResponseDelay, int retryAfterSeconds,
                         int infoCallsPerSecond, boolean duplicateCallbacks, boolean lateCallbacks,
                         Duration lateCallbackDelay) {

    boolean accepts(String apiKey) {
        if (apiKey == null || apiKey.isBlank()) {
            return false;
        }
        return acceptAnyApiKey || apiKeys.contains(apiKey);
    }
}
