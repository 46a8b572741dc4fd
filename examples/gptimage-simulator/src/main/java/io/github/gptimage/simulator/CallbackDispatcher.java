package io.github.gptimage.simulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Posts the callback of a task to its callBackUrl when the task finishes, on a small scheduler
 * owned by the simulator so that no request thread waits. One attempt per delivery; a duplicate
 * delivery is a second POST of the same payload right after the first.
 */
final class CallbackDispatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CallbackDispatcher.class.getName());
    private static final Duration RECEIVER_TIMEOUT = Duration.ofSeconds(15);

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, daemonThreads());
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final CallCounters counters;

    CallbackDispatcher(CallCounters counters) {
        this.counters = counters;
    }

    /**
     * Schedules the deliveries; the payload is computed at delivery time and a null payload
     * (the task was dropped by a reset meanwhile) cancels them.
     */
    void schedule(String callBackUrl, Duration delay, int deliveries, Supplier<Envelope> payload) {
        scheduler.schedule(() -> {
            Envelope envelope = payload.get();
            for (int i = 0; i < deliveries && envelope != null; i++) {
                deliver(callBackUrl, envelope);
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void deliver(String callBackUrl, Envelope envelope) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(callBackUrl))
                .timeout(RECEIVER_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(envelope)))
                .build();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                counters.callbacksDelivered.incrementAndGet();
            } else {
                counters.callbacksFailed.incrementAndGet();
                LOG.info(() -> "Callback to " + callBackUrl + " answered HTTP " + response.statusCode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            counters.callbacksFailed.incrementAndGet();
            LOG.log(Level.INFO, "Callback to " + callBackUrl + " failed: " + e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "gptimage-simulator-callback-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
