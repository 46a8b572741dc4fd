package io.github.gptimage.camel.task;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.gptimage.camel.error.GptImageAuthenticationException;
import io.github.gptimage.camel.error.GptImageException;
import io.github.gptimage.camel.error.GptImageGenerationFailedException;
import io.github.gptimage.camel.error.GptImageTimeoutException;
import io.github.gptimage.camel.api.AsyncFailures;
import io.github.gptimage.camel.api.DownloadedImage;
import io.github.gptimage.camel.api.GptImageClient;
import io.github.gptimage.camel.api.TaskInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one completion path of the tasks in a store. Polls, callbacks and waiting producers all end in
 * {@link #complete}: the store's compare-and-set makes the first caller the only one, the waiting exchange (if any)
 * is preferred over the {@code tasks} consumer, the images are downloaded for the target that asked, and a task
 * nobody can take yet, or whose download failed for a reason that may pass, goes back to the store.
 */
public class TaskTracker {

    private static final Logger LOG = LoggerFactory.getLogger(TaskTracker.class);

    /** The service keeps tasks 14 days; a task not final by then never will be. */
    static final Duration RETENTION = Duration.ofDays(14);

    private final GptImageTaskStore store;
    private final GptImageClient client;
    private final ScheduledExecutorService scheduler;
    private final Executor executor;
    private final Duration lease;
    private final int maxConcurrentPolls;
    private final Map<String, TaskWaiter> waiters = new ConcurrentHashMap<>();
    private final AtomicInteger pollsInFlight = new AtomicInteger();
    private final RecentCompletions recentCompletions = new RecentCompletions();
    private volatile CompletionTarget consumer;
    private volatile GptImageAuthenticationException authFailure;

    /**
     * @param scheduler times the waits out; its threads only hand work to {@code executor}
     * @param executor  runs the route of an exchange that timed out
     * @param lease     how long a claimed task stays invisible to other pollers: longer than an info call can take
     */
    public TaskTracker(GptImageTaskStore store, GptImageClient client, ScheduledExecutorService scheduler,
                       Executor executor, Duration lease, int maxConcurrentPolls) {
        this.store = store;
        this.client = client;
        this.scheduler = scheduler;
        this.executor = executor;
        this.lease = lease;
        this.maxConcurrentPolls = Math.max(1, maxConcurrentPolls);
    }

    public GptImageTaskStore store() {
        return store;
    }

    GptImageClient client() {
        return client;
    }

    RecentCompletions recentCompletions() {
        return recentCompletions;
    }

    /** Records a task that only the {@code tasks} consumer (or a callback) will complete. */
    public void track(PendingTask task) {
        store.add(task);
    }

    /**
     * Records a task and registers {@code target} as the exchange waiting for it; after {@code timeout} the target
     * gets a {@link GptImageTimeoutException} and the task stays pending for the {@code tasks} consumer.
     */
    public void await(PendingTask task, CompletionTarget target, Duration timeout) {
        TaskWaiter waiter = new TaskWaiter(target, System.nanoTime() + timeout.toNanos());
        waiters.put(task.taskId(), waiter);
        try {
            armTimeout(task.taskId(), waiter, timeout);
            store.add(task);
        } catch (RuntimeException e) {
            // not tracked: the caller fails the exchange, so this waiter must never deliver
            waiters.remove(task.taskId(), waiter);
            if (waiter.settle()) {
                throw e;
            }
        }
    }

    private void armTimeout(String taskId, TaskWaiter waiter, Duration timeout) {
        waiter.timeout(scheduler.schedule(() -> {
            if (waiter.settle()) {
                waiters.remove(taskId, waiter);
                executor.execute(() -> waiter.target().deliver(new TaskOutcome(null, TaskInfo.pending(taskId), null,
                        new GptImageTimeoutException(taskId, timeout))));
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    /** How many exchanges are waiting. */
    public int waiting() {
        return waiters.size();
    }

    /** Makes {@code target} the receiver of completions no exchange waits for; one per store. */
    public synchronized void attachConsumer(CompletionTarget target) {
        if (consumer != null && consumer != target) {
            throw new IllegalStateException("A gptimage:tasks consumer is already attached to this task store;"
                                            + " one consumer per store receives the completions");
        }
        consumer = target;
    }

    public synchronized void detachConsumer(CompletionTarget target) {
        if (consumer == target) {
            consumer = null;
        }
    }

    /**
     * Makes info calls for at most {@code limit} due tasks, within {@code maxConcurrentPolls} calls in flight.
     *
     * @return how many tasks were claimed
     * @throws GptImageAuthenticationException once the service refused the key: polling stops, tasks stay pending
     */
    public int pollDue(int limit) {
        GptImageAuthenticationException refused = authFailure;
        if (refused != null) {
            throw refused;
        }
        int capacity = Math.min(limit, maxConcurrentPolls - pollsInFlight.get());
        if (capacity <= 0 || store.size() == 0) {
            return 0;
        }
        Instant now = Instant.now();
        List<PendingTask> due = store.claimDue(now, capacity, now.plus(lease));
        for (PendingTask task : due) {
            if (task.submittedAt().plus(RETENTION).isBefore(now)) {
                complete(task, new TaskInfo(task.taskId(), null, null, null, "EXPIRED", null, null, null, null),
                        new GptImageGenerationFailedException(task.taskId(), "EXPIRED",
                                "no final status within the service's 14-day retention"));
                continue;
            }
            pollsInFlight.incrementAndGet();
            client.info(task.taskId()).whenComplete((info, error) -> {
                pollsInFlight.decrementAndGet();
                onPolled(task, info, AsyncFailures.cause(error));
            });
        }
        return due.size();
    }

    private void onPolled(PendingTask task, TaskInfo info, Throwable error) {
        PendingTask polled = task.dueAt(task.schedule().nextPoll(Instant.now(), task.pollCount()), true);
        if (error == null && info.isFinal()) {
            complete(polled, info);
            return;
        }
        if (error instanceof GptImageAuthenticationException refused) {
            authFailure = refused;
            LOG.error("The GPT image API refused the API key (code {}): polling stopped; {} tasks stay pending until"
                      + " the key is fixed and the route restarted", refused.getCode(), store.size());
        } else if (error != null) {
            LOG.warn("Polling GPT image task {} failed, it stays pending: {}", task.taskId(), error.getMessage());
        }
        store.reschedule(polled);
    }

    /** Completes a task the service reported final; the failure comes from the task's own status. */
    public void complete(PendingTask task, TaskInfo info) {
        GptImageException failure = info.isFailure()
                ? new GptImageGenerationFailedException(task.taskId(), info.errorCode(), info.errorMessage()) : null;
        complete(task, info, failure);
    }

    private void complete(PendingTask task, TaskInfo info, GptImageException failure) {
        if (!store.complete(task.taskId())) {
            return;
        }
        TaskWaiter waiter = waiters.remove(task.taskId());
        if (waiter != null && !waiter.settle()) {
            waiter = null;
        }
        CompletionTarget target = waiter != null ? waiter.target() : consumer;
        if (target == null) {
            // nobody to tell yet: the task waits in the store for a consumer or a waiting exchange
            store.add(task.dueAt(task.schedule().idlePoll(Instant.now()), false));
            return;
        }
        recentCompletions.add(task.taskId(), task.callbackToken());
        CompletionTarget.DownloadSettings download = target.downloadSettings();
        if (failure != null || !download.download()) {
            target.deliver(new TaskOutcome(task, info, null, failure));
            return;
        }
        TaskWaiter settledWaiter = waiter;
        downloadAll(info, download.maxBytes()).whenComplete((images, error) -> {
            Throwable cause = AsyncFailures.cause(error);
            if (cause == null) {
                target.deliver(new TaskOutcome(task, info, images, null));
            } else if (cause instanceof GptImageException known && !known.isRetryable()) {
                target.deliver(new TaskOutcome(task, info, null, known));
            } else {
                LOG.warn("Downloading the results of GPT image task {} failed, it stays pending: {}", task.taskId(),
                        cause.getMessage());
                requeue(task, settledWaiter);
            }
        });
    }

    private CompletableFuture<List<DownloadedImage>> downloadAll(TaskInfo info, long maxBytes) {
        List<CompletableFuture<DownloadedImage>> downloads = info.resultUrls().stream()
                .map(url -> client.download(url, maxBytes)).toList();
        return CompletableFuture.allOf(downloads.toArray(CompletableFuture[]::new))
                .thenApply(done -> downloads.stream().map(CompletableFuture::join).toList());
    }

    /** Puts back a task whose delivery must be tried again, with its waiter if it still has time. */
    private void requeue(PendingTask task, TaskWaiter waiter) {
        recentCompletions.remove(task.taskId());
        if (waiter != null) {
            long left = waiter.deadlineNanos() - System.nanoTime();
            TaskWaiter renewed = new TaskWaiter(waiter.target(), waiter.deadlineNanos());
            waiters.put(task.taskId(), renewed);
            armTimeout(task.taskId(), renewed, Duration.ofNanos(Math.max(0, left)));
        }
        store.add(task.dueAt(task.schedule().nextPoll(Instant.now(), task.pollCount()), false));
    }

    /** The key was refused: the error the {@code tasks} consumer reports, or null while polling works. */
    public GptImageAuthenticationException authFailure() {
        return authFailure;
    }

}
