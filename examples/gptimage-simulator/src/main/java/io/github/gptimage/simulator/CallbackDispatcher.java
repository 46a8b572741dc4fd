package io.github.gptimage.simulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Posts the callback of a task to its callBackUrl when the task finishes, on a small scheduler
 * owned by the simulator so that no request thread waits, and retries a failed attempt as the
 * service does. An attempt fails when the receiver answers other than 2xx, does not answer within
 * the receiver timeout (15 s at the service) or cannot be connected; the next attempt follows
 * after the next retry delay (1, 5 and 15 minutes at the service, counted from the failure),
 * until the delays are used up. A duplicate delivery is a second POST of the same payload right
 * after the first attempt of the first, retried on its own.
 */
final class CallbackDispatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CallbackDispatcher.class.getName());
    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, daemonThreads("callback"));
    private final ExecutorService senders = Executors.newCachedThreadPool(daemonThreads("callback-sender"));
    private final HttpClient client;
    private final CallCounters counters;
    private final List<Duration> retryDelays;
    private final Duration receiverTimeout;
    /** Raised by {@link #reset()}: attempts of an older epoch neither count nor retry. */
    private final AtomicLong epoch = new AtomicLong();

    CallbackDispatcher(CallCounters counters, List<Duration> retryDelays, Duration receiverTimeout) {
        this.counters = counters;
        this.retryDelays = List.copyOf(retryDelays);
        this.receiverTimeout = receiverTimeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(receiverTimeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? receiverTimeout
                        : MAX_CONNECT_TIMEOUT)
                .executor(senders)
                .build();
    }

    /**
     * Schedules the deliveries; the payload is computed at each attempt and a null payload
     * (the task was dropped by a reset meanwhile) cancels them.
     */
    void schedule(String callBackUrl, Duration delay, int deliveries, Supplier<Envelope> payload) {
        Delivery delivery = new Delivery(callBackUrl, payload, epoch.get());
        later(() -> attempt(delivery, 0, deliveries - 1), delay);
    }

    private record Delivery(String callBackUrl, Supplier<Envelope> payload, long epoch) {
    }

    /** Attempt number {@code attempt} (0 the first) of a delivery; {@code duplicates} more follow its first attempt. */
    private void attempt(Delivery delivery, int attempt, int duplicates) {
        Envelope envelope = delivery.epoch() == epoch.get() ? delivery.payload().get() : null;
        if (envelope == null) {
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(delivery.callBackUrl()))
                .timeout(receiverTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(envelope)))
                .build();
        try {
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                attempted(delivery, attempt, failureOf(response, error));
                if (duplicates > 0) {
                    attempt(delivery, 0, duplicates - 1);
                }
            });
        } catch (RejectedExecutionException | IllegalStateException e) {
            // stopped meanwhile
        }
    }

    private static String failureOf(HttpResponse<Void> response, Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            return "failed: " + cause;
        }
        return response.statusCode() / 100 == 2 ? null : "answered HTTP " + response.statusCode();
    }

    private void attempted(Delivery delivery, int attempt, String failure) {
        if (delivery.epoch() != epoch.get()) {
            return;
        }
        if (failure == null) {
            counters.callbacksDelivered.incrementAndGet();
            return;
        }
        counters.callbacksFailed.incrementAndGet();
        boolean retry = attempt < retryDelays.size();
        LOG.info(() -> "Callback to " + delivery.callBackUrl() + " " + failure + " (attempt " + (attempt + 1) + ", "
                + (retry ? "retry in " + retryDelays.get(attempt).toMillis() + " ms" : "given up") + ")");
        if (retry) {
            later(() -> attempt(delivery, attempt + 1, 0), retryDelays.get(attempt));
        } else {
            counters.callbacksAbandoned.incrementAndGet();
        }
    }

    private void later(Runnable task, Duration delay) {
        try {
            scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // stopped meanwhile
        }
    }

    /** Drops every pending delivery and retry: they belong to tasks a reset forgot. */
    void reset() {
        epoch.incrementAndGet();
    }

    @Override
    public void close() {
        epoch.incrementAndGet();
        scheduler.shutdownNow();
        senders.shutdownNow();
    }

    private static ThreadFactory daemonThreads(String purpose) {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "gptimage-simulator-" + purpose + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
