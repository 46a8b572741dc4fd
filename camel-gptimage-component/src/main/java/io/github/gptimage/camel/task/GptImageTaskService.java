package io.github.gptimage.camel.task;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gptimage.camel.api.AsyncFailures;
import io.github.gptimage.camel.api.DownloadedImage;
import io.github.gptimage.camel.api.GptImageClient;
import io.github.gptimage.camel.api.HttpConnectionPools;
import io.github.gptimage.camel.api.HttpGptImageClient;
import io.github.gptimage.camel.api.TaskInfo;
import io.github.gptimage.camel.api.TaskStatus;
import io.github.gptimage.camel.error.GptImageAuthenticationException;
import io.github.gptimage.camel.error.GptImageException;
import io.github.gptimage.camel.error.GptImageGenerationFailedException;
import io.github.gptimage.camel.error.GptImageRateLimitException;
import io.github.gptimage.camel.error.GptImageTimeoutException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that belongs to one task store, started and stopped with the CamelContext: the store, the poller, the
 * worker pool and scheduler, the HTTP connection pools and the client of every account, the waiting exchanges, the
 * {@code tasks} consumer of this node and the callback receiver.
 * <p>
 * Every completion, however it was learned (a poll, a callback), goes through {@link #recordFinal}: the store's
 * compare-and-set picks one winner, and the final task is delivered to the exchange waiting for it on this node, else
 * to this node's {@code tasks} consumer, else left in the store for any node's consumer. The task leaves the store
 * when its completion exchange completed ({@link Synchronization}); when that exchange failed unhandled, it is
 * delivered again, as a redelivery.
 * <p>
 * Due tasks are polled as soon as they are due, within {@code maxConcurrentPolls} calls in flight: each answer frees
 * a permit and pumps again, and between due times the poller sleeps until the store's next due time.
 */
public final class GptImageTaskService extends ServiceSupport {

    /** The service keeps tasks 14 days: a task not final by then never will be. */
    static final Duration RETENTION = Duration.ofDays(14);
    /** How often the poller wakes at the latest: tasks other nodes added, expired leases, retention. */
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    /** Tasks claimed at most per store call. */
    static final int CLAIM_BATCH = 256;
    /** The first redelivery of a failed completion exchange waits this long, doubling up to a minute. */
    static final Duration FIRST_REDELIVERY_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_REDELIVERY_DELAY = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(GptImageTaskService.class);

    private final CamelContext context;
    private final GptImageTaskStore store;
    private final TaskServiceSettings settings;
    private final ObjectMapper mapper;
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, TaskWaiter> waiters = new ConcurrentHashMap<>();
    /** The completion exchanges running on this node, by task id, whose leases the heartbeat renews. */
    private final Map<String, Delivery> delivering = new ConcurrentHashMap<>();
    private final AtomicInteger pollsInFlight = new AtomicInteger();
    private final AtomicBoolean pumpQueued = new AtomicBoolean();
    private final StoreOutage storeOutage = new StoreOutage();
    private final Queue<TrackedTask> unrecorded = new ConcurrentLinkedQueue<>();
    /** Callback token digests of the generates under way on this node, and callbacks that came before the answer. */
    private final Set<String> submitting = ConcurrentHashMap.newKeySet();
    private final Map<String, Runnable> earlyCallbacks = new ConcurrentHashMap<>();
    private volatile CompletionTarget consumer;
    private volatile TaskMetrics metrics = TaskMetrics.NONE;
    private ExecutorService executor;
    private ScheduledExecutorService scheduler;
    private HttpConnectionPools connectionPools;
    private CallbackReceiver callbackReceiver;
    private ScheduledFuture<?> heartbeat;
    private ScheduledFuture<?> wake;
    private Instant wakeAt;

    public GptImageTaskService(CamelContext context, GptImageTaskStore store, TaskServiceSettings settings,
                               ObjectMapper mapper) {
        if (settings.maxConcurrentPolls() < 1) {
            throw new IllegalArgumentException(
                    "maxConcurrentPolls must be at least 1, not " + settings.maxConcurrentPolls());
        }
        this.context = context;
        this.store = store;
        this.settings = settings;
        this.mapper = mapper;
    }

    public GptImageTaskStore store() {
        return store;
    }

    public TaskServiceSettings settings() {
        return settings;
    }

    /** What this service, its accounts' calls and its callbacks are measured by; {@link TaskMetrics#NONE} at first. */
    public TaskMetrics metrics() {
        return metrics;
    }

    /** Sets the metrics before the service starts: accounts registered from then on report to them. */
    public void setMetrics(TaskMetrics metrics) {
        this.metrics = metrics != null ? metrics : TaskMetrics.NONE;
    }

    /** The callback receiver while the service runs with callbacks, else null. */
    CallbackReceiver callbackReceiver() {
        return callbackReceiver;
    }

    /** The callback receiver's state and verdict counts, when callbacks are on. */
    public Optional<CallbackStatus> callbackStatus() {
        return settings.callbacks() == null ? Optional.empty()
                : Optional.of(CallbackStatus.of(settings.callbacks(), callbackReceiver));
    }

    @Override
    protected void doStart() throws Exception {
        ExecutorServiceManager threads = context.getExecutorServiceManager();
        executor = settings.executorService() != null ? settings.executorService() : newWorkerPool(threads);
        ThreadPoolProfile schedulerProfile = new ThreadPoolProfile("GptImageScheduler");
        schedulerProfile.setPoolSize(1);
        // one timeout per waiting exchange is queued here: the default 1000-task queue limit would reject more waits
        schedulerProfile.setMaxQueueSize(-1);
        scheduler = threads.newScheduledThreadPool(this, "GptImageScheduler", schedulerProfile);
        connectionPools = new HttpConnectionPools(settings.maxConnections(),
                runnable -> threads.newThread("GptImageHttpIO", runnable));
        heartbeat = scheduler.scheduleWithFixedDelay(this::onHeartbeat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(),
                TimeUnit.MILLISECONDS);
        if (settings.callbacks() != null) {
            callbackReceiver = new CallbackReceiver(context, settings.callbacks(),
                    new CallbackHandler(this, mapper, settings.callbacks().verify()));
            ServiceHelper.startService(callbackReceiver);
        }
    }

    /**
     * Camel's thread pool profile {@code gptimage} when the context defines one, else a pool sized for the machine
     * with an unbounded queue: answers wait for a thread rather than run on the HTTP client's I/O threads.
     */
    private ExecutorService newWorkerPool(ExecutorServiceManager threads) {
        ThreadPoolProfile profile = threads.getThreadPoolProfile("gptimage");
        if (profile == null) {
            int size = Math.max(4, 4 * Runtime.getRuntime().availableProcessors());
            profile = new ThreadPoolProfile("gptimage");
            profile.setPoolSize(size);
            profile.setMaxPoolSize(size);
            // Camel reads a queue size <= 0 as "no queue" (direct hand-over, then CallerRuns on the I/O thread)
            profile.setMaxQueueSize(Integer.MAX_VALUE);
        }
        return threads.newThreadPool(this, "GptImage", profile);
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(callbackReceiver);
        callbackReceiver = null;
        consumer = null;
        if (scheduler != null) {
            context.getExecutorServiceManager().shutdown(scheduler);
            scheduler = null;
        }
        // a graceful close of the pools waits up to 5 s for answers in flight: the poller's are not worth waiting for
        accounts.values().forEach(Account::cancelPollCalls);
        if (connectionPools != null) {
            connectionPools.close();
            connectionPools = null;
        }
        accounts.clear();
        if (executor != null && settings.executorService() == null) {
            context.getExecutorServiceManager().shutdown(executor);
        }
        executor = null;
    }

    // ---- accounts

    /**
     * The account {@code name} for an endpoint's key, base URL and HTTP client, registered on first use. Fails when
     * the name is already used with another key, base URL or client, unless that account's key was refused: then
     * this key replaces it and polling resumes.
     */
    public Account account(String name, String baseUrl, String apiKey, CloseableHttpAsyncClient httpClient) {
        return accounts.compute(name, (key, existing) -> {
            if (existing == null || existing.sameAs(baseUrl, apiKey, httpClient)) {
                return existing != null ? existing : newAccount(name, baseUrl, apiKey, httpClient);
            }
            if (existing.refused() != null) {
                LOG.info("Account {} of GPT image tasks gets a new key after its key was refused: polling resumes",
                        name);
                requestPumpSoon();
                return newAccount(name, baseUrl, apiKey, httpClient);
            }
            throw new IllegalArgumentException(
                    "The gptimage account '" + name + "' is already used with another apiKey, baseUrl or httpClient:"
                                               + " give each key its own account name (option account)");
        });
    }

    private Account newAccount(String name, String baseUrl, String apiKey, CloseableHttpAsyncClient httpClient) {
        return new Account(name, baseUrl, apiKey, httpClient, use -> {
            CloseableHttpAsyncClient http = httpClient;
            if (http == null) {
                http = connectionPools.forConnectTimeout(use.connectTimeout(), use.polls());
            } else {
                http.start();
            }
            return new HttpGptImageClient(http, baseUrl, apiKey, mapper, executor);
        }, settings.authRecheckInterval(), metrics);
    }

    /** The accounts in use. */
    public List<Account> accounts() {
        return List.copyOf(accounts.values());
    }

    // ---- submitting

    /** True when the store takes no more tasks: generate fails before submitting. */
    public boolean isFull() {
        return store.isFull();
    }

    /** Records a task the service accepted, for the {@code tasks} consumer of any node. */
    public void track(TrackedTask task) {
        store.add(task);
        storeOutage.ended();
        wakeAt(task.dueAt());
    }

    /**
     * Records a task and registers {@code target} as the exchange waiting for it on this node; after
     * {@code timeout} the target gets a {@link GptImageTimeoutException} and the task stays for the {@code tasks}
     * consumer.
     */
    public void await(TrackedTask task, CompletionTarget target, Duration timeout) {
        TaskWaiter waiter = new TaskWaiter(task.account(), target, System.nanoTime() + timeout.toNanos());
        waiters.put(task.taskId(), waiter);
        try {
            armTimeout(task.taskId(), waiter, timeout);
            track(task.awaitedBy(settings.nodeId(), Instant.now().plus(timeout)));
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
                execute(() -> waiter.target().abandon(new GptImageTimeoutException(taskId, timeout)));
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    /**
     * Registers {@code target} as waiting for a task recorded before (a repeated submit with a known idempotency
     * key): it gets the task's completion when the task is final, at once when it already is.
     *
     * @return false when the store no longer holds the task (its completion was delivered): nothing to wait for
     */
    public boolean awaitKnown(String taskId, CompletionTarget target, Duration timeout) {
        Optional<TrackedTask> known = store.find(taskId);
        Instant now = Instant.now();
        if (known.isEmpty() || delivering.containsKey(taskId)
            || known.get().state() == TaskState.FINAL && known.get().leasedByOther(settings.nodeId(), now)) {
            // delivered, or being delivered (here, or on another node): that completion exchange is the task's one;
            // a lease of this node's id that no delivery here holds is an earlier run's, and is taken over
            return false;
        }
        TaskWaiter waiter = new TaskWaiter(known.get().account(), target, System.nanoTime() + timeout.toNanos());
        if (waiters.putIfAbsent(taskId, waiter) != null) {
            throw new IllegalStateException("An exchange already waits for GPT image task " + taskId);
        }
        armTimeout(taskId, waiter, timeout);
        TrackedTask task = known.get();
        if (task.state() == TaskState.FINAL) {
            store.update(task, task.leased(now.plus(settings.leaseDuration()), settings.nodeId()))
                    .ifPresent(this::deliver);
        } else {
            // this node waits for it now (a restarted node may have another id than the one that submitted it)
            store.update(task, task.awaitedBy(settings.nodeId(), now.plus(timeout)));
        }
        return true;
    }

    /**
     * Keeps a task the service accepted while the store failed, and records it once the store answers again (at
     * the next heartbeat): an accepted task is never forgotten while this JVM runs.
     */
    public void recordLater(TrackedTask task) {
        unrecorded.add(task);
    }

    private void recordUnrecorded() {
        TrackedTask task;
        while ((task = unrecorded.peek()) != null) {
            try {
                store.add(task);
            } catch (RuntimeException e) {
                storeOutage.failed(e);
                return;
            }
            unrecorded.remove(task);
            storeOutage.ended();
            LOG.info("GPT image task {} accepted during the task store's outage is recorded now", task.taskId());
        }
    }

    /**
     * A generate carrying the callback token with this digest is being sent: a callback for it that comes before its
     * answer is recorded is held, not refused.
     */
    public void submitting(String tokenDigest) {
        if (tokenDigest != null) {
            submitting.add(tokenDigest);
        }
    }

    /** The generate of {@link #submitting} was answered (and its task recorded) or failed: a held callback runs now. */
    public void submitted(String tokenDigest) {
        if (tokenDigest != null) {
            submitting.remove(tokenDigest);
            replayEarlyCallback(tokenDigest);
        }
    }

    /**
     * Holds a callback with an unknown task but the token of a generate under way; it is judged again once that
     * generate is answered.
     *
     * @return false when no generate with that token is under way: the callback is refused
     */
    boolean holdEarlyCallback(String token, byte[] payload, Runnable judgeAgain) {
        String digest = CallbackTokens.digest(token);
        if (!submitting.contains(digest)) {
            return false;
        }
        earlyCallbacks.put(digest, judgeAgain);
        if (!submitting.contains(digest)) {
            replayEarlyCallback(digest); // answered meanwhile
        }
        return true;
    }

    private void replayEarlyCallback(String digest) {
        Runnable held = earlyCallbacks.remove(digest);
        if (held != null) {
            execute(held);
        }
    }

    /** Runs {@code work} on the worker pool after {@code delay}, holding no thread meanwhile. */
    public void later(Runnable work, Duration delay) {
        later(work, delay, () -> {
        });
    }

    /**
     * Runs {@code work} on the worker pool after {@code delay}, holding no thread meanwhile; runs {@code stopping}
     * instead, on the calling or the scheduler's thread, when the service stops before that.
     */
    public void later(Runnable work, Duration delay, Runnable stopping) {
        try {
            scheduler.schedule(() -> {
                if (!execute(work)) {
                    stopping.run();
                }
            }, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException | NullPointerException stopped) {
            stopping.run();
        }
    }

    /** How many exchanges wait on this node. */
    public int waiting() {
        return waiters.size();
    }

    // ---- the tasks consumer

    /** Makes {@code target} this node's receiver of completions no exchange waits for; one per store and node. */
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
     * Delivers at most {@code limit} final tasks that wait in the store (recorded while no consumer was there, by
     * another node, or due again after a failed completion exchange) to this node's consumer.
     *
     * @return how many were claimed
     */
    public int deliverWaitingFinals(int limit) {
        Instant now = Instant.now();
        List<TrackedTask> finals = store.claimDue(TaskState.FINAL, now, limit, now.plus(settings.leaseDuration()),
                settings.nodeId());
        finals.forEach(this::deliver);
        return finals.size();
    }

    // ---- polling

    private void onHeartbeat() {
        requestPump();
        Instant now = Instant.now();
        execute(() -> {
            recordUnrecorded();
            renewDeliveryLeases(now);
            purgeFinal(now);
            if (consumer == null && !waiters.isEmpty()) {
                claimFinalsForWaiters(now);
            }
        });
    }

    /**
     * Takes the final tasks that exchanges on this node wait for but that another node recorded (a callback or a poll
     * there), when no consumer here does it anyway; the store leaves such tasks to this node.
     */
    private void claimFinalsForWaiters(Instant now) {
        try {
            for (TrackedTask task : store.claimDue(TaskState.FINAL, now, CLAIM_BATCH,
                    now.plus(settings.leaseDuration()), settings.nodeId())) {
                deliver(task);
            }
        } catch (RuntimeException e) {
            storeOutage.failed(e);
        }
    }

    private void purgeFinal(Instant now) {
        try {
            for (TrackedTask dropped : store.purgeFinal(now.minus(settings.finalRetention()))) {
                LOG.warn("GPT image task {} was final since {} and no tasks consumer took it within finalRetention"
                         + " ({}): dropped", dropped.taskId(), dropped.finalAt(), settings.finalRetention());
            }
        } catch (RuntimeException e) {
            storeOutage.failed(e);
        }
    }

    private void requestPumpSoon() {
        if (scheduler != null) {
            wakeAt(Instant.now());
        }
    }

    /** Pumps on the worker pool; at most one pump is queued at a time. */
    void requestPump() {
        if (isRunAllowed() && pumpQueued.compareAndSet(false, true)) {
            if (!execute(this::pump)) {
                pumpQueued.set(false);
            }
        }
    }

    private void pump() {
        pumpQueued.set(false);
        int permits = reservePolls();
        if (permits == 0) {
            return; // every answer pumps again
        }
        List<TrackedTask> due;
        Instant now = Instant.now();
        try {
            due = store.claimDue(TaskState.PENDING, now, permits, now.plus(settings.leaseDuration()),
                    settings.nodeId());
            storeOutage.ended();
        } catch (RuntimeException e) {
            pollsInFlight.addAndGet(-permits);
            storeOutage.failed(e);
            return;
        }
        pollsInFlight.addAndGet(due.size() - permits);
        due.forEach(this::poll);
        if (due.size() == permits) {
            requestPump();
        } else {
            nextDue().ifPresent(this::wakeAt);
        }
    }

    private Optional<Instant> nextDue() {
        try {
            return store.nextDue(TaskState.PENDING);
        } catch (RuntimeException e) {
            storeOutage.failed(e);
            return Optional.empty();
        }
    }

    /** Takes up to {@link #CLAIM_BATCH} free poll permits at once, so that in-flight calls never exceed the bound. */
    private int reservePolls() {
        while (true) {
            int inFlight = pollsInFlight.get();
            int take = Math.min(CLAIM_BATCH, settings.maxConcurrentPolls() - inFlight);
            if (take <= 0) {
                return 0;
            }
            if (pollsInFlight.compareAndSet(inFlight, inFlight + take)) {
                return take;
            }
        }
    }

    /** Wakes the poller at {@code at}, unless it already wakes earlier (the heartbeat bounds the sleep anyway). */
    private synchronized void wakeAt(Instant at) {
        Instant now = Instant.now();
        if (scheduler == null || at.isAfter(now.plus(HEARTBEAT))) {
            return;
        }
        if (wake != null && !wake.isDone() && !wakeAt.isAfter(at)) {
            return;
        }
        if (wake != null) {
            wake.cancel(false);
        }
        wakeAt = at;
        long delay = Math.max(0, Duration.between(now, at).toMillis());
        try {
            wake = scheduler.schedule(this::requestPump, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            wake = null;
        }
    }

    /** The in-flight count of polls in progress, at most {@code maxConcurrentPolls}. */
    public int pollsInFlight() {
        return pollsInFlight.get();
    }

    private void poll(TrackedTask task) {
        Instant now = Instant.now();
        if (task.submittedAt().plus(RETENTION).isBefore(now)) {
            pollsInFlight.decrementAndGet();
            TaskInfo expired = new TaskInfo(task.taskId(), TaskStatus.GENERATE_FAILED, null, null, "EXPIRED",
                    "no final status within the service's 14-day retention", null, null, null);
            recordFinal(task, expired, false);
            return;
        }
        Account account = accounts.get(task.account());
        Instant blockedUntil = account == null ? now.plus(task.schedule().maxInterval()) : account.blockedUntil(now);
        if (blockedUntil != null) {
            // no endpoint of its account has started on this node yet, or the account is DOWN or paused
            pollsInFlight.decrementAndGet();
            reschedule(task, task.dueAt(blockedUntil));
            return;
        }
        PollSchedule schedule = task.schedule();
        account.pollClient(schedule.connectTimeout()).info(task.taskId(), schedule.requestTimeout())
                .whenComplete((info, error) -> {
                    pollsInFlight.decrementAndGet();
                    try {
                        onPolled(account, task, info, AsyncFailures.cause(error));
                    } finally {
                        requestPump();
                    }
                });
    }

    private void onPolled(Account account, TrackedTask task, TaskInfo info, Throwable error) {
        Instant now = Instant.now();
        if (error == null) {
            account.answered();
            if (info.isFinal()) {
                recordFinal(task, info, true);
            } else {
                reschedule(task, task.polled(task.schedule().nextPoll(task, now, info.progress()), info.progress(),
                        now));
            }
            return;
        }
        Instant next = task.schedule().growing(now, task.pollCount());
        if (error instanceof GptImageAuthenticationException refused) {
            if (account.refuse(refused, now)) {
                LOG.error("The GPT image API refused the API key of account {} (code {}): its polling stops and its tasks"
                          + " stay pending; one info call every {} checks the key again", account.name(),
                        refused.getCode(), settings.authRecheckInterval());
            }
            failWaiters(account.name(), refused);
            next = account.recheckAt();
        } else {
            if (error instanceof GptImageRateLimitException limited && limited.getRetryAfter() != null) {
                Instant until = now.plus(limited.getRetryAfter());
                account.pause(until);
                next = until.isAfter(next) ? until : next;
            }
            if (isRunAllowed()) {
                LOG.warn("Polling GPT image task {} failed, it stays pending: {}", task.taskId(), error.getMessage());
            } else {
                LOG.debug("Polling GPT image task {} ended with the component's stop, it stays pending: {}",
                        task.taskId(), error.getMessage());
            }
        }
        reschedule(task, task.polled(next, null, now));
    }

    private void reschedule(TrackedTask current, TrackedTask next) {
        try {
            store.update(current, next);
        } catch (RuntimeException e) {
            // the task stays as it was: its lease expires and it is polled again
            storeOutage.failed(e);
        }
    }

    /** Fails at once every exchange waiting for a task of {@code account}; the tasks stay pending. */
    private void failWaiters(String account, GptImageAuthenticationException refused) {
        waiters.forEach((taskId, waiter) -> {
            if (waiter.account().equals(account) && waiter.settle()) {
                waiters.remove(taskId, waiter);
                execute(() -> waiter.target().abandon(new GptImageAuthenticationException(refused.getCode(),
                        refused.getApiMessage(), taskId)));
            }
        });
    }

    // ---- completion

    /** The task's account, when an endpoint of it has started on this node. */
    Account accountOf(TrackedTask task) {
        return accounts.get(task.account());
    }

    /**
     * Records the final answer of a task, learned by a poll ({@code polled}) or a callback, and delivers it. Of
     * several callers for one task exactly one records it; a caller holding an outdated version tries again while the
     * task is still pending.
     */
    void recordFinal(TrackedTask task, TaskInfo info, boolean polled) {
        TrackedTask current = task;
        for (int attempt = 0; attempt < 3 && current != null && current.state() == TaskState.PENDING; attempt++) {
            Instant now = Instant.now();
            // an exchange waiting on another node takes precedence over this node's consumer
            boolean local = waiters.containsKey(current.taskId())
                            || consumer != null && !current.awaitedOn(settings.nodeId(), now);
            TrackedTask finished = local
                    ? current.finished(info, now, now.plus(settings.leaseDuration()), settings.nodeId(), polled)
                    : current.finished(info, now, now, null, polled);
            Optional<TrackedTask> recorded;
            try {
                recorded = store.update(current, finished);
            } catch (RuntimeException e) {
                storeOutage.failed(e);
                return; // still pending in the store: polled again
            }
            if (recorded.isPresent()) {
                metrics.completed(current.account(), info.status().name(), polled,
                        Duration.between(current.submittedAt(), now));
                if (local) {
                    deliver(recorded.get());
                }
                return;
            }
            current = store.find(task.taskId()).orElse(null);
        }
    }

    /**
     * Extends the leases of the tasks whose completion exchanges run on this node once half a lease is left, so that
     * a completion route slower than {@code leaseDuration} is not delivered again by another node meanwhile.
     */
    private void renewDeliveryLeases(Instant now) {
        Instant renewBefore = now.plus(settings.leaseDuration().dividedBy(2));
        for (Delivery delivery : delivering.values()) {
            delivery.renewIfEndingBefore(renewBefore, now);
        }
    }

    /** Delivers a final task leased to this node: to the exchange waiting for it, else to the consumer. */
    private void deliver(TrackedTask task) {
        Delivery delivery = new Delivery(task);
        if (delivering.putIfAbsent(task.taskId(), delivery) != null) {
            return; // a completion exchange of it runs on this node
        }
        TaskWaiter waiter = waiters.remove(task.taskId());
        if (waiter != null && !waiter.settle()) {
            waiter = null;
        }
        CompletionTarget target = waiter != null ? waiter.target() : consumer;
        if (target == null) {
            delivering.remove(task.taskId());
            release(delivery.current(), delivery.current().dueAt(Instant.now()));
            return;
        }
        GptImageException failure = failureOf(task.finalInfo());
        CompletionTarget.DownloadSettings download = target.downloadSettings();
        if (failure != null || !download.download()) {
            target.deliver(new TaskOutcome(task, null, failure), delivery);
            return;
        }
        TaskWaiter settled = waiter;
        downloadAll(task, download).whenComplete((images, error) -> {
            Throwable cause = AsyncFailures.cause(error);
            if (cause == null) {
                target.deliver(new TaskOutcome(task, images, null), delivery);
            } else if (cause instanceof GptImageException known && !known.isRetryable()) {
                target.deliver(new TaskOutcome(task, null, known), delivery);
            } else {
                LOG.warn("Downloading the results of GPT image task {} failed, it is delivered again later: {}",
                        task.taskId(), cause.getMessage());
                delivering.remove(task.taskId());
                retryDelivery(delivery.current(), settled);
            }
        });
    }

    private static GptImageException failureOf(TaskInfo info) {
        return info.isFailure()
                ? new GptImageGenerationFailedException(info.taskId(), info.errorCode(), info.errorMessage()) : null;
    }

    private CompletableFuture<List<DownloadedImage>> downloadAll(TrackedTask task,
                                                                 CompletionTarget.DownloadSettings download) {
        Account account = accounts.get(task.account());
        if (account == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("account " + task.account() + " is gone"));
        }
        GptImageClient client = account.pollClient(task.schedule().connectTimeout());
        List<CompletableFuture<DownloadedImage>> downloads = task.finalInfo().resultUrls().stream()
                .map(url -> client.download(url, download.maxBytes(), download.timeout())).toList();
        return CompletableFuture.allOf(downloads.toArray(CompletableFuture[]::new))
                .thenApply(done -> downloads.stream().map(CompletableFuture::join).toList());
    }

    /** After a failed download: the same target gets the task again one redelivery delay later. */
    private void retryDelivery(TrackedTask task, TaskWaiter waiter) {
        Duration delay = redeliveryDelay(task.deliveries());
        if (waiter != null) {
            long left = waiter.deadlineNanos() - System.nanoTime();
            TaskWaiter renewed = new TaskWaiter(waiter.account(), waiter.target(), waiter.deadlineNanos());
            waiters.put(task.taskId(), renewed);
            armTimeout(task.taskId(), renewed, Duration.ofNanos(Math.max(0, left)));
        }
        Instant due = Instant.now().plus(delay);
        release(task, task.leased(due, settings.nodeId())).ifPresent(released -> scheduler.schedule(
                () -> execute(() -> store.update(released, released.leased(
                        Instant.now().plus(settings.leaseDuration()), settings.nodeId())).ifPresent(this::deliver)),
                delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    private Optional<TrackedTask> release(TrackedTask current, TrackedTask next) {
        try {
            return store.update(current, next);
        } catch (RuntimeException e) {
            storeOutage.failed(e);
            return Optional.empty();
        }
    }

    static Duration redeliveryDelay(int deliveries) {
        Duration delay = FIRST_REDELIVERY_DELAY.multipliedBy(1L << Math.min(deliveries, 10));
        return delay.compareTo(MAX_REDELIVERY_DELAY) > 0 ? MAX_REDELIVERY_DELAY : delay;
    }

    /** Runs on the worker pool; false when it is shutting down. */
    public boolean execute(Runnable work) {
        try {
            executor.execute(work);
            return true;
        } catch (RejectedExecutionException | NullPointerException stopping) {
            return false;
        }
    }

    /**
     * Commits or rolls back the delivery of a final task when its completion exchange is done: removed (leaving a
     * tombstone) when it completed, delivered again when it failed unhandled. The store is called on the worker pool,
     * never on the thread that ends the exchange (it may be an HTTP I/O thread).
     */
    private final class Delivery implements Synchronization {
        /** The task at its version in the store: a renewed lease is a new version. */
        private TrackedTask task;
        private boolean ended;

        Delivery(TrackedTask task) {
            this.task = task;
        }

        synchronized TrackedTask current() {
            return task;
        }

        /** Extends the task's lease by a lease from now when it ends before {@code renewBefore}. */
        synchronized void renewIfEndingBefore(Instant renewBefore, Instant now) {
            if (ended || !task.dueAt().isBefore(renewBefore)) {
                return;
            }
            try {
                store.update(task, task.leased(now.plus(settings.leaseDuration()), settings.nodeId()))
                        .ifPresentOrElse(renewed -> task = renewed, () -> LOG.warn("GPT image task {} changed in the"
                                + " store while its completion exchange ran (its lease of {} ran out?): it may be"
                                + " delivered again", task.taskId(), settings.leaseDuration()));
            } catch (RuntimeException e) {
                storeOutage.failed(e);
            }
        }

        @Override
        public void onComplete(Exchange exchange) {
            runOrInline(() -> {
                try {
                    synchronized (this) {
                        ended = true;
                        if (!store.remove(task)) {
                            LOG.warn("GPT image task {} changed in the store while its completion exchange ran (its"
                                     + " lease of {} ran out?): it may be delivered again", task.taskId(),
                                    settings.leaseDuration());
                        }
                    }
                } catch (RuntimeException e) {
                    storeOutage.failed(e);
                } finally {
                    // only once the task is gone from the store: until then a repeated submit must not take it over
                    delivering.remove(task.taskId());
                }
            });
        }

        @Override
        public void onFailure(Exchange exchange) {
            runOrInline(() -> {
                TrackedTask failed;
                synchronized (this) {
                    ended = true;
                    failed = task;
                }
                delivering.remove(failed.taskId());
                Duration delay = redeliveryDelay(failed.deliveries());
                LOG.debug("The completion exchange of GPT image task {} failed: delivered again in {}",
                        failed.taskId(), delay);
                release(failed, failed.deliveryFailed(Instant.now().plus(delay)));
            });
        }

        private void runOrInline(Runnable work) {
            if (!execute(work)) {
                work.run();
            }
        }
    }

    /** Logs a store failure once per outage, not once per task. */
    private static final class StoreOutage {
        private final AtomicBoolean down = new AtomicBoolean();

        void failed(RuntimeException e) {
            if (down.compareAndSet(false, true)) {
                LOG.error("The GPT image task store failed; tasks already stored are kept and polling resumes when it"
                          + " is back: {}", e.getMessage(), e);
            } else {
                LOG.debug("The GPT image task store still fails: {}", e.getMessage());
            }
        }

        void ended() {
            if (down.compareAndSet(true, false)) {
                LOG.info("The GPT image task store answers again");
            }
        }
    }
}
