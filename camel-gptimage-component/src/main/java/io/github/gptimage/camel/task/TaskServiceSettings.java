package io.github.gptimage.camel.task;

import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * The store-wide settings of a task service: declared once (component options) and the same for every endpoint of
 * the store.
 *
 * @param nodeId              names this node in leases
 * @param maxConcurrentPolls  info calls in flight at most
 * @param finalRetention      how long a final task that nothing delivered is kept
 * @param leaseDuration       how long a claimed task stays with its claimer: longer than an info call or a
 *                            completion route can take
 * @param authRecheckInterval how often an account whose key was refused is checked again
 * @param maxConnections      connections per HTTP pool
 * @param executorService     the worker pool, or null for one of Camel's thread pools (profile {@code gptimage} when
 *                            defined)
 * @param callbacks           how callbacks are received, or null without callbacks
 */
public record TaskServiceSettings(
        String nodeId,
        int maxConcurrentPolls,
        Duration finalRetention,
        Duration leaseDuration,
        Duration authRecheckInterval,
        int maxConnections,
        ExecutorService executorService,
        CallbackSettings callbacks) {

    /**
     * @param baseUrl     the public URL of this application
     * @param path        the HTTP path callbacks are received under
     * @param verify      whether a callback is confirmed with one info call
     * @param maxBodySize the largest callback body accepted
     * @param readTimeout how long a callback's request, body included, may take to arrive
     */
    public record CallbackSettings(String baseUrl, String path, boolean verify, int maxBodySize, Duration readTimeout) {

        /** The default read timeout: the service itself gives a receiver 15 s to answer. */
        public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(15);

        public CallbackSettings(String baseUrl, String path, boolean verify, int maxBodySize) {
            this(baseUrl, path, verify, maxBodySize, DEFAULT_READ_TIMEOUT);
        }

        /** The callback URL of the task with {@code token}. */
        public String url(String token) {
            return (baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl)
                   + (path.startsWith("/") ? path : "/" + path) + "/" + token;
        }
    }
}
