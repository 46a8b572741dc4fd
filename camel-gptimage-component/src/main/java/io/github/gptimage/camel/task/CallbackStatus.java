package io.github.gptimage.camel.task;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The callback receiver of a task service as the health checks and the dev console see it.
 *
 * @param path     the HTTP path callbacks are received under ({@code callbackPath}, a token follows it)
 * @param serving  true while the receiver's HTTP consumer is started
 * @param verdicts how many callbacks were answered with each verdict since the service started (accepted,
 *                 duplicate, malformed, unauthorized, unreadable, too_large)
 */
public record CallbackStatus(String path, boolean serving, Map<String, Long> verdicts) {

    public CallbackStatus {
        verdicts = Collections.unmodifiableMap(new LinkedHashMap<>(verdicts));
    }

    static CallbackStatus of(TaskServiceSettings.CallbackSettings settings, CallbackReceiver receiver) {
        Map<String, Long> verdicts = new LinkedHashMap<>();
        if (receiver != null) {
            receiver.handler().verdictCounts()
                    .forEach((verdict, count) -> verdicts.put(verdict.name().toLowerCase(java.util.Locale.ROOT), count));
        } else {
            for (CallbackHandler.Verdict verdict : CallbackHandler.Verdict.values()) {
                verdicts.put(verdict.name().toLowerCase(java.util.Locale.ROOT), 0L);
            }
        }
        return new CallbackStatus(settings.path(), receiver != null && receiver.isServing(), verdicts);
    }

    /** How many callbacks arrived, whatever their verdict. */
    public long received() {
        return verdicts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** How many callbacks were refused (answered 400, 401 or 413). */
    public long refused() {
        return verdicts.entrySet().stream()
                .filter(entry -> !entry.getKey().equals("accepted") && !entry.getKey().equals("duplicate"))
                .mapToLong(Map.Entry::getValue).sum();
    }
}
