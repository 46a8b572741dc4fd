package io.github.gptimage.camel.task;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.gptimage.camel.api.GenerateRequest;
import io.github.gptimage.camel.api.TaskInfo;
import io.github.gptimage.camel.api.TaskStatus;
import io.github.gptimage.camel.task.SubmitAttempt.AttemptState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * The {@link GptImageTaskStore} contract, which every store passes: a task comes back as it was added, field by field;
 * {@code claimDue} is a lease that hands a due task to one claimer, earliest first, and leaves a task awaited on
 * another node to that node; {@code update} and {@code remove} are compare-and-sets on the version that exactly one of
 * many racing callers wins; a removed task leaves a tombstone; {@code purgeFinal} drops only final tasks past the
 * cut-off that are not leased, and leaves their tombstones; of many submit attempts with one key, racing on two nodes,
 * exactly one is told to send, and an attempt comes back as it was recorded, accepted when its task is added.
 * <p>
 * A subclass supplies a fresh, empty store for each test ({@link #newStore()}) and, for a store shared by several
 * nodes, a second view of the same tasks ({@link #peer()}), which the concurrent tests use alongside the first.
 * Instants are whole milliseconds: a store may keep them to the microsecond.
 */
public abstract class TaskStoreContractTest {

    protected static final PollSchedule SCHEDULE = new PollSchedule(Duration.ofSeconds(1), Duration.ofSeconds(30),
            false);
    protected static final String NODE = "node-a";
    protected static final String OTHER_NODE = "node-b";
    private static final int THREADS = 16;

    protected GptImageTaskStore store;
    private GptImageTaskStore peer;
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    /** Now, to the millisecond. */
    protected final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    /** A fresh store holding no task. */
    protected abstract GptImageTaskStore newStore() throws Exception;

    /** Another node's view of the tasks of {@link #store}: the store itself unless several nodes can share it. */
    protected GptImageTaskStore peer() throws Exception {
        return store;
    }

    @BeforeEach
    void createStore() throws Exception {
        store = newStore();
        peer = peer();
    }

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    protected static TrackedTask pending(String id, Instant dueAt) {
        return new TrackedTask(id, "default", dueAt.minusSeconds(1), GenerateRequest.builder().prompt("a cat").build(),
                "token-" + id, Map.of(), SCHEDULE, null, 10, TaskState.PENDING, dueAt, null, 0, null, null, null, null,
                0, null, null, 0);
    }

    protected static TrackedTask finalTask(String id, Instant finalAt, Instant dueAt) {
        return pending(id, dueAt).finished(success(id), finalAt, dueAt, null, true);
    }

    private static TaskInfo success(String id) {
        return new TaskInfo(id, TaskStatus.SUCCESS, 1.0, List.of("https://files.example/" + id + ".png"), null, null,
                null, null, null);
    }

    /** A submit of {@code account} with {@code key}, sending since {@code now}, its generate carrying {@code token}. */
    protected SubmitAttempt attempt(String account, String key, String token) {
        TrackedTask template = TrackedTask.accepted(null, account, now, GenerateRequest.builder().prompt("a fox")
                .build(), token, Map.of("orderId", "order-" + key), SCHEDULE, key).withCredits(20);
        return new SubmitAttempt(account, key, now, AttemptState.SENDING, null, template);
    }

    /** A task with every field set, none to its default. */
    private TrackedTask everyFieldSet() {
        GenerateRequest request = GenerateRequest.builder().size("3:2").prompt("a lighthouse at dusk, \"oil\" ☀")
                .filesUrl("https://in.example/1.png", "https://in.example/2.png").maskUrl("https://in.example/m.png")
                .nVariants(4).enhance(true).uploadCn(false).enableFallback(true).fallbackModel("FLUX_MAX")
                .callBackUrl("https://app.example/gptimage/callback/tok").fileUrl("https://in.example/old.png").build();
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("orderId", "order-17");
        headers.put("customerId", 9_000_000_000L);
        headers.put("smallLong", 5L);
        headers.put("attempt", 3);
        headers.put("priority", true);
        headers.put("weight", 0.25d);
        headers.put("amount", new BigDecimal("12.50"));
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("prompt", "a lighthouse at dusk");
        parameters.put("nVariants", 4);
        parameters.put("filesUrl", List.of("https://in.example/1.png"));
        parameters.put("options", Map.of("enhance", true, "ratio", 1.5));
        TaskInfo info = new TaskInfo("task-every", TaskStatus.SUCCESS, 1.0,
                List.of("https://files.example/a.png", "https://files.example/b.png"), "0", "ok",
                now.minusSeconds(90).plusNanos(123_456_789), now.minusSeconds(3), parameters);
        PollSchedule schedule = new PollSchedule(Duration.ofMillis(1500), Duration.ofSeconds(45), true,
                Duration.ofSeconds(25), Duration.ofMillis(2500));
        return new TrackedTask("task-every", "account-eu", now.minusSeconds(100), request, "cb-token-every", headers,
                schedule, "idem-42", 40, TaskState.FINAL, now.plusSeconds(7), NODE, 6, 0.75, now.minusSeconds(20), info,
                now.minusSeconds(2), 2, OTHER_NODE, now.plusSeconds(60), 0);
    }

    // ---- add and find

    @Test
    void everyFieldOfAnAddedTaskComesBack() {
        TrackedTask task = everyFieldSet();
        store.add(task);

        assertThat(store.find(task.taskId())).contains(task);
        TrackedTask found = store.find(task.taskId()).orElseThrow();
        assertThat(found.correlationHeaders().get("customerId")).isInstanceOf(Long.class);
        assertThat(found.correlationHeaders().get("smallLong")).isInstanceOf(Long.class);
        assertThat(found.correlationHeaders().get("attempt")).isInstanceOf(Integer.class);
        assertThat(found.correlationHeaders().get("priority")).isInstanceOf(Boolean.class);
        assertThat(found.finalInfo().createTime()).isEqualTo(task.finalInfo().createTime());
        assertThat(found.schedule().requestTimeout()).isEqualTo(Duration.ofSeconds(25));
        assertThat(found.schedule().connectTimeout()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void unsetFieldsComeBackUnset() {
        TrackedTask task = TrackedTask.accepted("task-bare", "default", now, GenerateRequest.builder().build(), null,
                null, SCHEDULE, null);
        store.add(task);

        assertThat(store.find("task-bare")).contains(task);
        TrackedTask found = store.find("task-bare").orElseThrow();
        assertThat(found.callbackToken()).isNull();
        assertThat(found.correlationHeaders()).isEmpty();
        assertThat(found.progress()).isNull();
        assertThat(found.finalInfo()).isNull();
        assertThat(found.waitingUntil()).isNull();
    }

    @Test
    void aFailedFinalAnswerComesBack() {
        TaskInfo failed = new TaskInfo("task-failed", TaskStatus.GENERATE_FAILED, null, null, "400",
                "prompt refused", now.minusSeconds(5), null, null);
        TrackedTask task = pending("task-failed", now).finished(failed, now, now, null, false);
        store.add(task);

        assertThat(store.find("task-failed")).contains(task);
        assertThat(store.find("task-failed").orElseThrow().finalInfo().resultUrls()).isEmpty();
    }

    @Test
    void aTaskIsStoredAtVersionZero() {
        store.add(pending("t1", now).withVersion(41));

        assertThat(store.find("t1")).map(TrackedTask::version).contains(0L);
    }

    @Test
    void addingATaskAlreadyHeldKeepsTheFirst() {
        store.add(pending("t1", now));
        store.add(pending("t1", now.plusSeconds(60)).polled(now.plusSeconds(60), 0.5, now));

        assertThat(store.find("t1")).contains(pending("t1", now));
        assertThat(store.count(TaskState.PENDING)).isEqualTo(1);
    }

    @Test
    void anUnknownTaskIsNotFound() {
        assertThat(store.find("nope")).isEmpty();
    }

    // ---- claimDue

    @Test
    void claimsOnlyDueTasksOfTheStateEarliestFirstUpToTheLimit() {
        store.add(pending("later", now.plusSeconds(5)));
        store.add(pending("due-2", now.minusMillis(200)));
        store.add(pending("due-1", now.minusMillis(300)));
        store.add(pending("due-3", now));
        store.add(finalTask("final-due", now.minusSeconds(1), now.minusSeconds(1)));

        assertThat(store.claimDue(TaskState.PENDING, now, 2, now.plusSeconds(30), NODE))
                .extracting(TrackedTask::taskId).containsExactly("due-1", "due-2");
        assertThat(store.claimDue(TaskState.PENDING, now, 10, now.plusSeconds(30), NODE))
                .extracting(TrackedTask::taskId).containsExactly("due-3");
        assertThat(store.claimDue(TaskState.FINAL, now, 10, now.plusSeconds(30), NODE))
                .extracting(TrackedTask::taskId).containsExactly("final-due");
        assertThat(store.claimDue(TaskState.PENDING, now, 10, now.plusSeconds(30), NODE)).isEmpty();
    }

    @Test
    void aClaimLeasesTheTaskToItsOwnerAtTheNextVersion() {
        TrackedTask task = pending("t1", now);
        store.add(task);
        Instant leaseUntil = now.plusSeconds(30);

        List<TrackedTask> claimed = store.claimDue(TaskState.PENDING, now, 10, leaseUntil, NODE);

        TrackedTask expected = task.leased(leaseUntil, NODE).withVersion(1);
        assertThat(claimed).containsExactly(expected);
        assertThat(claimed.get(0).pollCount()).as("a claim is not a poll").isZero();
        assertThat(store.find("t1")).contains(expected);
    }

    @Test
    void aClaimedTaskIsNotClaimedAgainBeforeItsLeaseEnds() {
        store.add(pending("t1", now));
        Instant leaseUntil = now.plusSeconds(30);

        assertThat(store.claimDue(TaskState.PENDING, now, 10, leaseUntil, NODE)).hasSize(1);

        assertThat(store.claimDue(TaskState.PENDING, now, 10, leaseUntil, NODE)).isEmpty();
        assertThat(peer.claimDue(TaskState.PENDING, now, 10, leaseUntil, OTHER_NODE)).isEmpty();
        assertThat(peer.claimDue(TaskState.PENDING, leaseUntil.minusMillis(1), 10, leaseUntil.plusSeconds(30),
                OTHER_NODE)).isEmpty();
        List<TrackedTask> afterLease = peer.claimDue(TaskState.PENDING, leaseUntil, 10, leaseUntil.plusSeconds(30),
                OTHER_NODE);
        assertThat(afterLease).extracting(TrackedTask::taskId).containsExactly("t1");
        assertThat(afterLease.get(0).leaseOwner()).isEqualTo(OTHER_NODE);
        assertThat(afterLease.get(0).version()).isEqualTo(2);
        assertThat(store.count(TaskState.PENDING)).isEqualTo(1);
    }

    @Test
    void aFinalTaskAwaitedOnAnotherNodeIsLeftToThatNode() {
        Instant waitUntil = now.plusSeconds(60);
        store.add(finalTask("t1", now, now).awaitedBy(OTHER_NODE, waitUntil));

        assertThat(store.claimDue(TaskState.FINAL, now, 10, now.plusSeconds(30), NODE)).isEmpty();
        assertThat(store.claimDue(TaskState.FINAL, waitUntil, 10, waitUntil.plusSeconds(30), NODE))
                .as("the wait has ended").extracting(TrackedTask::taskId).containsExactly("t1");
    }

    @Test
    void theNodeAwaitingAFinalTaskClaimsIt() {
        store.add(finalTask("t1", now, now).awaitedBy(OTHER_NODE, now.plusSeconds(60)));

        assertThat(peer.claimDue(TaskState.FINAL, now, 10, now.plusSeconds(30), OTHER_NODE))
                .extracting(TrackedTask::taskId).containsExactly("t1");
    }

    @Test
    void aPendingTaskAwaitedOnAnotherNodeIsLeftToThatNode() {
        store.add(pending("t1", now).awaitedBy(OTHER_NODE, now.plusSeconds(60)));
        store.add(pending("t2", now).awaitedBy(NODE, now.plusSeconds(60)));

        assertThat(store.claimDue(TaskState.PENDING, now, 10, now.plusSeconds(30), NODE))
                .extracting(TrackedTask::taskId).containsExactly("t2");
        assertThat(peer.claimDue(TaskState.PENDING, now, 10, now.plusSeconds(30), OTHER_NODE))
                .extracting(TrackedTask::taskId).containsExactly("t1");
    }

    @Test
    void aClaimOfNoTaskOrZeroTasksClaimsNothing() {
        assertThat(store.claimDue(TaskState.PENDING, now, 10, now.plusSeconds(30), NODE)).isEmpty();
        store.add(pending("t1", now));
        assertThat(store.claimDue(TaskState.PENDING, now, 0, now.plusSeconds(30), NODE)).isEmpty();
        assertThat(store.find("t1")).map(TrackedTask::version).contains(0L);
    }

    @Test
    void concurrentClaimersNeverClaimTheSameTask() throws Exception {
        int tasks = 2_000;
        for (int i = 0; i < tasks; i++) {
            store.add(pending("t" + i, now.minusMillis(i % 50)));
        }
        Map<String, AtomicInteger> claims = new ConcurrentHashMap<>();
        race(thread -> {
            GptImageTaskStore node = thread % 2 == 0 ? store : peer;
            String owner = thread % 2 == 0 ? NODE : OTHER_NODE;
            List<TrackedTask> claimed;
            do {
                claimed = node.claimDue(TaskState.PENDING, now, 25, now.plusSeconds(30), owner);
                claimed.forEach(task -> claims.computeIfAbsent(task.taskId(), id -> new AtomicInteger())
                        .incrementAndGet());
            } while (!claimed.isEmpty());
            return null;
        });

        assertThat(claims).hasSize(tasks);
        assertThat(claims.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        assertThat(store.claimDue(TaskState.PENDING, now, 10, now.plusSeconds(30), NODE)).isEmpty();
    }

    // ---- update

    @Test
    void anUpdateReplacesTheTaskAtTheNextVersion() {
        store.add(pending("t1", now));
        TrackedTask claimed = store.claimDue(TaskState.PENDING, now, 10, now.plusSeconds(30), NODE).get(0);
        TrackedTask polled = claimed.polled(now.plusMillis(500), 0.4, now);

        assertThat(store.update(claimed, polled)).contains(polled.withVersion(2));

        assertThat(store.find("t1")).contains(polled.withVersion(2));
    }

    @Test
    void anUpdateEndsTheLeaseAtTheNewDueTime() {
        store.add(pending("t1", now));
        TrackedTask claimed = store.claimDue(TaskState.PENDING, now, 10, now.plusSeconds(30), NODE).get(0);

        store.update(claimed, claimed.polled(now.plusMillis(500), null, now));

        assertThat(store.nextDue(TaskState.PENDING)).contains(now.plusMillis(500));
        assertThat(store.claimDue(TaskState.PENDING, now.plusMillis(499), 10, now.plusSeconds(30), NODE)).isEmpty();
        List<TrackedTask> again = store.claimDue(TaskState.PENDING, now.plusMillis(500), 10, now.plusSeconds(30),
                NODE);
        assertThat(again).extracting(TrackedTask::pollCount).containsExactly(1);
    }

    @Test
    void anUpdateOfAStaleVersionLoses() {
        store.add(pending("t1", now));
        TrackedTask added = store.find("t1").orElseThrow();
        TrackedTask claimed = store.claimDue(TaskState.PENDING, now, 10, now.plusSeconds(30), NODE).get(0);

        assertThat(store.update(added, added.polled(now.plusSeconds(1), null, now))).isEmpty();

        assertThat(store.find("t1")).contains(claimed);
    }

    @Test
    void recordingTheFinalAnswerMovesTheTaskToFinal() {
        store.add(pending("t1", now));
        TrackedTask current = store.find("t1").orElseThrow();
        TrackedTask finished = current.finished(success("t1"), now, now.plusSeconds(30), NODE, true);

        assertThat(store.update(current, finished)).isPresent();

        assertThat(store.count(TaskState.PENDING)).isZero();
        assertThat(store.count(TaskState.FINAL)).isEqualTo(1);
        assertThat(store.nextDue(TaskState.PENDING)).isEmpty();
        assertThat(store.nextDue(TaskState.FINAL)).contains(now.plusSeconds(30));
        assertThat(store.find("t1")).contains(finished.withVersion(1));
    }

    @Test
    void anUpdateOfARemovedTaskLoses() {
        store.add(pending("t1", now));
        TrackedTask current = store.find("t1").orElseThrow();
        assertThat(store.remove(current)).isTrue();

        assertThat(store.update(current, current.dueAt(now.plusSeconds(1)))).isEmpty();
        assertThat(store.find("t1")).isEmpty();
    }

    @Test
    void ofManyRacingUpdatesOfATaskExactlyOneWins() throws Exception {
        int tasks = 500;
        for (int i = 0; i < tasks; i++) {
            store.add(pending("t" + i, now));
        }
        List<TrackedTask> added = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            added.add(store.find("t" + i).orElseThrow());
        }
        Map<String, AtomicInteger> wins = new ConcurrentHashMap<>();
        race(thread -> {
            GptImageTaskStore node = thread % 2 == 0 ? store : peer;
            for (TrackedTask task : added) {
                TrackedTask finished = task.finished(success(task.taskId()), now, now, "node-" + thread, true);
                if (node.update(task, finished).isPresent()) {
                    wins.computeIfAbsent(task.taskId(), id -> new AtomicInteger()).incrementAndGet();
                }
            }
            return null;
        });

        assertThat(wins).hasSize(tasks);
        assertThat(wins.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        assertThat(store.count(TaskState.FINAL)).isEqualTo(tasks);
        assertThat(store.find("t0")).map(TrackedTask::version).contains(1L);
    }

    // ---- remove and tombstones

    @Test
    void aRemovedTaskIsGoneAndLeavesItsToken() {
        store.add(pending("t1", now));
        TrackedTask current = store.find("t1").orElseThrow();

        assertThat(store.remove(current)).isTrue();

        assertThat(store.find("t1")).isEmpty();
        assertThat(store.removedToken("t1")).contains("token-t1");
        assertThat(store.count(TaskState.PENDING)).isZero();
        assertThat(store.remove(current)).as("removed already").isFalse();
    }

    @Test
    void aRemoveOfAStaleVersionLoses() {
        store.add(pending("t1", now));
        TrackedTask added = store.find("t1").orElseThrow();
        store.claimDue(TaskState.PENDING, now, 10, now.plusSeconds(30), NODE);

        assertThat(store.remove(added)).isFalse();

        assertThat(store.find("t1")).isPresent();
        assertThat(store.removedToken("t1")).isEmpty();
    }

    @Test
    void thereIsNoTokenForATaskNeverRemoved() {
        store.add(pending("t1", now));

        assertThat(store.removedToken("t1")).isEmpty();
        assertThat(store.removedToken("unknown")).isEmpty();
    }

    @Test
    void aTaskWithoutCallbackTokenLeavesNoToken() {
        TrackedTask task = TrackedTask.accepted("t1", "default", now, GenerateRequest.builder().build(), null, null,
                SCHEDULE, null);
        store.add(task);

        assertThat(store.remove(store.find("t1").orElseThrow())).isTrue();

        assertThat(store.removedToken("t1")).isEmpty();
    }

    @Test
    void ofManyRacingRemovesOfATaskExactlyOneWins() throws Exception {
        int tasks = 200;
        List<TrackedTask> added = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            store.add(finalTask("t" + i, now, now));
            added.add(store.find("t" + i).orElseThrow());
        }
        Map<String, AtomicInteger> wins = new ConcurrentHashMap<>();
        race(thread -> {
            GptImageTaskStore node = thread % 2 == 0 ? store : peer;
            for (TrackedTask task : added) {
                if (node.remove(task)) {
                    wins.computeIfAbsent(task.taskId(), id -> new AtomicInteger()).incrementAndGet();
                }
            }
            return null;
        });

        assertThat(wins).hasSize(tasks);
        assertThat(wins.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        assertThat(store.count(TaskState.FINAL)).isZero();
        assertThat(store.removedToken("t7")).contains("token-t7");
    }

    // ---- nextDue, count and purgeFinal

    @Test
    void theNextDueTimeIsThatOfTheEarliestTaskOfTheState() {
        assertThat(store.nextDue(TaskState.PENDING)).isEmpty();
        assertThat(store.nextDue(TaskState.FINAL)).isEmpty();
        store.add(pending("p-late", now.plusSeconds(9)));
        store.add(pending("p-early", now.plusSeconds(3)));
        store.add(finalTask("f", now, now.plusSeconds(1)));

        assertThat(store.nextDue(TaskState.PENDING)).contains(now.plusSeconds(3));
        assertThat(store.nextDue(TaskState.FINAL)).contains(now.plusSeconds(1));

        store.claimDue(TaskState.PENDING, now.plusSeconds(3), 1, now.plusSeconds(30), NODE);
        assertThat(store.nextDue(TaskState.PENDING)).as("the lease moved p-early").contains(now.plusSeconds(9));
    }

    @Test
    void tasksAreCountedByState() {
        assertThat(store.count(TaskState.PENDING)).isZero();
        store.add(pending("p1", now));
        store.add(pending("p2", now));
        store.add(finalTask("f1", now, now));

        assertThat(store.count(TaskState.PENDING)).isEqualTo(2);
        assertThat(store.count(TaskState.FINAL)).isEqualTo(1);
    }

    @Test
    void tasksAreCountedByAccountWithTheirOldestSubmit() {
        assertThat(store.countByAccount(TaskState.PENDING)).isEmpty();
        GenerateRequest request = GenerateRequest.builder().prompt("a cat").build();
        store.add(TrackedTask.accepted("eu-1", "eu", now.minusSeconds(30), request, null, Map.of(), SCHEDULE, null));
        store.add(TrackedTask.accepted("eu-2", "eu", now.minusSeconds(90), request, null, Map.of(), SCHEDULE, null));
        store.add(TrackedTask.accepted("us-1", "us", now.minusSeconds(10), request, null, Map.of(), SCHEDULE, null));
        store.add(finalTask("f1", now, now));

        assertThat(store.countByAccount(TaskState.PENDING)).containsOnly(
                entry("eu", new TaskCounts(2, now.minusSeconds(90))), entry("us", new TaskCounts(1, now.minusSeconds(10))));
        assertThat(store.countByAccount(TaskState.FINAL)).containsOnlyKeys("default");
        assertThat(store.countByAccount(TaskState.FINAL).get("default").count()).isEqualTo(1);
    }

    @Test
    void purgeFinalDropsTheFinalTasksRecordedBeforeTheCutOff() {
        Instant cutOff = now.minus(Duration.ofDays(1));
        store.add(finalTask("old-2", cutOff.minusSeconds(10), now));
        store.add(finalTask("old-1", cutOff.minusSeconds(20), now));
        store.add(finalTask("at-cut-off", cutOff, now));
        store.add(finalTask("recent", now, now));
        TrackedTask oldPending = new TrackedTask("old-pending", "default", cutOff.minus(Duration.ofDays(30)), null,
                null, Map.of(), SCHEDULE, null, 0, TaskState.PENDING, cutOff.minus(Duration.ofDays(29)), null, 0, null,
                null, null, null, 0, null, null, 0);
        store.add(oldPending);

        List<TrackedTask> dropped = store.purgeFinal(cutOff);

        assertThat(dropped).extracting(TrackedTask::taskId).containsExactly("old-1", "old-2");
        assertThat(dropped.get(0)).isEqualTo(finalTask("old-1", cutOff.minusSeconds(20), now));
        assertThat(store.find("old-1")).isEmpty();
        assertThat(store.find("old-2")).isEmpty();
        assertThat(store.find("at-cut-off")).isPresent();
        assertThat(store.find("recent")).isPresent();
        assertThat(store.find("old-pending")).contains(oldPending);
        assertThat(store.count(TaskState.FINAL)).isEqualTo(2);
        assertThat(store.count(TaskState.PENDING)).isEqualTo(1);
        assertThat(store.purgeFinal(cutOff)).isEmpty();
    }

    @Test
    void aPurgedTaskIsNoLongerDue() {
        store.add(finalTask("f1", now.minusSeconds(10), now.minusSeconds(10)));

        store.purgeFinal(now);

        assertThat(store.nextDue(TaskState.FINAL)).isEmpty();
        assertThat(store.claimDue(TaskState.FINAL, now, 10, now.plusSeconds(30), NODE)).isEmpty();
    }

    @Test
    void aPurgeLeavesAFinalTaskThatIsLeased() {
        Instant cutOff = now.minus(Duration.ofDays(1));
        store.add(finalTask("leased", cutOff.minusSeconds(10), now));
        TrackedTask leased = store.claimDue(TaskState.FINAL, now, 10, now.plusSeconds(60), NODE).get(0);
        store.add(finalTask("lease-ended", cutOff.minusSeconds(20), now.minusSeconds(30)));
        TrackedTask expired = store.claimDue(TaskState.FINAL, now.minusSeconds(30), 10, now.minusSeconds(1),
                OTHER_NODE).get(0);

        assertThat(store.purgeFinal(cutOff)).extracting(TrackedTask::taskId).containsExactly("lease-ended");

        assertThat(store.find("leased")).as("being delivered").contains(leased);
        assertThat(store.find(expired.taskId())).isEmpty();
        assertThat(store.count(TaskState.FINAL)).isEqualTo(1);
        assertThat(store.remove(leased)).as("its delivery completes").isTrue();
    }

    @Test
    void aPurgedTaskLeavesItsToken() {
        store.add(finalTask("f1", now.minusSeconds(10), now.minusSeconds(10)));
        store.add(TrackedTask.accepted("no-token", "default", now.minusSeconds(20), GenerateRequest.builder().build(),
                null, null, SCHEDULE, null).finished(success("no-token"), now.minusSeconds(10), now, null, true));

        assertThat(store.purgeFinal(now)).extracting(TrackedTask::taskId).containsExactlyInAnyOrder("f1", "no-token");

        assertThat(store.removedToken("f1")).as("a late callback is no forgery").contains("token-f1");
        assertThat(store.removedToken("no-token")).isEmpty();
    }

    @Test
    void aPurgeReplacesTheTombstoneOfATaskIdRemovedBefore() {
        store.add(pending("t1", now));
        store.remove(store.find("t1").orElseThrow());
        store.add(finalTask("t1", now.minusSeconds(10), now).withVersion(0));

        assertThat(store.purgeFinal(now)).extracting(TrackedTask::taskId).containsExactly("t1");

        assertThat(store.removedToken("t1")).contains("token-t1");
    }

    // ---- submit attempts

    @Test
    void theFirstAttemptWithAKeySendsAndALaterOneGetsTheFirst() {
        SubmitAttempt first = attempt("default", "order-1", "tok-1");

        assertThat(store.recordAttempt(first)).as("the first sends").isEmpty();

        assertThat(store.recordAttempt(attempt("default", "order-1", "tok-2"))).contains(first);
        assertThat(peer.recordAttempt(attempt("default", "order-1", "tok-3"))).as("on another node").contains(first);
        assertThat(store.findAttempt("default", "order-1")).contains(first);
        assertThat(store.recordAttempt(attempt("account-eu", "order-1", "tok-4"))).as("another account's key")
                .isEmpty();
        assertThat(store.findAttempt("account-eu", "order-1")).map(SubmitAttempt::callbackToken).contains("tok-4");
        assertThat(store.findAttempt("default", "order-2")).isEmpty();
    }

    @Test
    void ofManyRacingAttemptsWithOneKeyExactlyOneSends() throws Exception {
        int keys = 20;
        Map<String, AtomicInteger> senders = new ConcurrentHashMap<>();
        Map<String, List<SubmitAttempt>> earlier = new ConcurrentHashMap<>();
        race(thread -> {
            GptImageTaskStore node = thread % 2 == 0 ? store : peer;
            for (int k = 0; k < keys; k++) {
                String key = "key-" + k;
                Optional<SubmitAttempt> found = node.recordAttempt(attempt("default", key, "tok-" + thread + "-" + k));
                if (found.isEmpty()) {
                    senders.computeIfAbsent(key, any -> new AtomicInteger()).incrementAndGet();
                } else {
                    earlier.computeIfAbsent(key, any -> Collections.synchronizedList(new ArrayList<>()))
                            .add(found.get());
                }
            }
            return null;
        });

        assertThat(senders).hasSize(keys);
        assertThat(senders.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        for (int k = 0; k < keys; k++) {
            SubmitAttempt winner = store.findAttempt("default", "key-" + k).orElseThrow();
            assertThat(earlier.get("key-" + k)).hasSize(15).containsOnly(winner);
        }
    }

    @Test
    void addingATaskWithAKeyAcceptsItsAttempt() {
        SubmitAttempt sent = attempt("default", "order-1", "tok-1");
        store.recordAttempt(sent);

        store.add(sent.template().withTaskId("task-1"));

        SubmitAttempt accepted = sent.accepted("task-1");
        assertThat(accepted.state()).isEqualTo(AttemptState.ACCEPTED);
        assertThat(store.findAttempt("default", "order-1")).contains(accepted);
        assertThat(peer.findAttemptByToken("tok-1")).contains(accepted);
        assertThat(store.recordAttempt(attempt("default", "order-1", "tok-2"))).contains(accepted);
        assertThat(store.find("task-1")).contains(sent.template().withTaskId("task-1"));
    }

    @Test
    void aTaskWithAKeyButNoAttemptIsAddedAlone() {
        store.add(pending("t1", now));
        TrackedTask keyed = attempt("default", "order-1", "tok-1").template().withTaskId("t2");

        store.add(keyed);

        assertThat(store.find("t2")).contains(keyed);
        assertThat(store.findAttempt("default", "order-1")).isEmpty();
    }

    @Test
    void anAttemptIsFoundByTheCallbackTokenOfItsGenerate() {
        SubmitAttempt withToken = attempt("default", "order-1", "tok-1");
        store.recordAttempt(withToken);
        store.recordAttempt(attempt("default", "order-2", null));

        assertThat(store.findAttemptByToken("tok-1")).contains(withToken);
        assertThat(peer.findAttemptByToken("tok-1")).contains(withToken);
        assertThat(store.findAttemptByToken("tok-unknown")).isEmpty();
        assertThat(store.findAttempt("default", "order-2").orElseThrow().callbackToken()).isNull();
    }

    @Test
    void anAttemptWhoseAnswerWasLostIsInDoubt() {
        SubmitAttempt sent = attempt("default", "order-1", "tok-1");
        store.recordAttempt(sent);

        peer.markInDoubt("default", "order-1");

        assertThat(store.findAttempt("default", "order-1")).contains(sent.inDoubt());
        assertThat(store.findAttemptByToken("tok-1")).map(SubmitAttempt::state).contains(AttemptState.IN_DOUBT);
        assertThat(store.recordAttempt(attempt("default", "order-1", "tok-2"))).as("still sends nothing")
                .contains(sent.inDoubt());
        store.markInDoubt("default", "no-such-key");
        assertThat(store.findAttempt("default", "no-such-key")).isEmpty();
    }

    @Test
    void anAcceptedAttemptStaysAcceptedWhenItsAnswerIsLostAfterwards() {
        SubmitAttempt sent = attempt("default", "order-1", "tok-1");
        store.recordAttempt(sent);
        store.add(sent.template().withTaskId("task-1"));

        store.markInDoubt("default", "order-1");

        assertThat(store.findAttempt("default", "order-1")).contains(sent.accepted("task-1"));
    }

    @Test
    void aForgottenAttemptLetsTheNextSubmitSend() {
        store.recordAttempt(attempt("default", "order-1", "tok-1"));
        store.recordAttempt(attempt("default", "order-2", "tok-2"));

        peer.forgetAttempt("default", "order-1");

        assertThat(store.findAttempt("default", "order-1")).isEmpty();
        assertThat(store.findAttemptByToken("tok-1")).isEmpty();
        assertThat(store.findAttemptByToken("tok-2")).isPresent();
        SubmitAttempt again = attempt("default", "order-1", "tok-3");
        assertThat(store.recordAttempt(again)).as("sends again").isEmpty();
        assertThat(store.findAttempt("default", "order-1")).contains(again);
        store.forgetAttempt("default", "no-such-key");
    }

    @Test
    void theTemplateOfAnAttemptComesBackFieldByField() {
        TrackedTask template = everyFieldSet().withTaskId(null);
        SubmitAttempt attempt = new SubmitAttempt("account-eu", "idem-42", now.minusSeconds(1), AttemptState.SENDING,
                null, template);

        store.recordAttempt(attempt);

        SubmitAttempt found = store.findAttempt("account-eu", "idem-42").orElseThrow();
        assertThat(found).isEqualTo(attempt);
        assertThat(found.template().taskId()).isNull();
        assertThat(found.template().request()).isEqualTo(template.request());
        assertThat(found.template().correlationHeaders()).isEqualTo(template.correlationHeaders());
        assertThat(found.template().correlationHeaders().get("customerId")).isInstanceOf(Long.class);
        assertThat(found.template().correlationHeaders().get("attempt")).isInstanceOf(Integer.class);
        assertThat(found.template().correlationHeaders().get("amount")).isEqualTo(new BigDecimal("12.50"));
        assertThat(found.template().schedule()).isEqualTo(template.schedule());
        assertThat(found.callbackToken()).isEqualTo("cb-token-every");
        assertThat(store.findAttemptByToken("cb-token-every")).contains(attempt);
    }

    @Test
    void aBareTemplateComesBack() {
        TrackedTask template = TrackedTask.accepted(null, "default", now, GenerateRequest.builder().build(), null,
                null, SCHEDULE, "k");
        SubmitAttempt attempt = new SubmitAttempt("default", "k", now, AttemptState.SENDING, null, template);

        store.recordAttempt(attempt);

        assertThat(store.findAttempt("default", "k")).contains(attempt);
    }

    // ---- credit budgets

    @Test
    void creditsAreChargedWithinTheBudgetAndRefunded() {
        Instant window = now.truncatedTo(ChronoUnit.DAYS);
        Instant end = window.plus(Duration.ofDays(1));

        assertThat(store.creditsSpent("default", window)).isZero();
        assertThat(store.chargeCredits("default", window, end, 40, 100)).isEqualTo(new CreditCharge(true, 40));
        assertThat(store.chargeCredits("default", window, end, 40, 100)).isEqualTo(new CreditCharge(true, 80));
        assertThat(store.chargeCredits("default", window, end, 40, 100)).as("past the budget")
                .isEqualTo(new CreditCharge(false, 80));
        assertThat(store.chargeCredits("default", window, end, 20, 100)).as("up to the budget")
                .isEqualTo(new CreditCharge(true, 100));
        store.refundCredits("default", window, 40);
        assertThat(store.creditsSpent("default", window)).isEqualTo(60);

        assertThat(store.chargeCredits("other", window, end, 10, 100)).as("another account")
                .isEqualTo(new CreditCharge(true, 10));
        assertThat(store.chargeCredits("default", end, end.plus(Duration.ofDays(1)), 40, 100)).as("the next window")
                .isEqualTo(new CreditCharge(true, 40));
        assertThat(store.chargeCredits("new", window, end, 101, 100)).as("more than the whole budget")
                .isEqualTo(new CreditCharge(false, 0));
        assertThat(store.creditsSpent("new", window)).isZero();
    }

    @Test
    void racingChargesOnTwoNodesNeverSpendPastTheBudget() throws Exception {
        Instant window = now.truncatedTo(ChronoUnit.HOURS);
        Instant end = window.plus(Duration.ofHours(1));
        AtomicInteger charged = new AtomicInteger();
        race(thread -> {
            GptImageTaskStore node = thread % 2 == 0 ? store : peer;
            for (int i = 0; i < 5; i++) {
                if (node.chargeCredits("default", window, end, 10, 250).charged()) {
                    charged.incrementAndGet();
                }
            }
            return null;
        });

        assertThat(charged).hasValue(25);
        assertThat(store.creditsSpent("default", window)).isEqualTo(250);
        assertThat(peer.creditsSpent("default", window)).isEqualTo(250);
    }

    @Test
    void budgetWindowsLongEndedArePurged() {
        Instant old = now.minus(Duration.ofDays(20)).truncatedTo(ChronoUnit.DAYS);
        Instant recent = now.minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.DAYS);
        store.chargeCredits("default", old, old.plus(Duration.ofDays(1)), 10, 100);
        store.chargeCredits("default", recent, recent.plus(Duration.ofDays(1)), 10, 100);

        store.purgeFinal(now.minus(Duration.ofHours(1)));

        assertThat(store.creditsSpent("default", old)).isZero();
        assertThat(store.creditsSpent("default", recent)).isEqualTo(10);
    }

    // ---- helpers

    /** Runs {@code racer} on {@value #THREADS} threads started together, each given its number. */
    private void race(Racer racer) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> racers = new ArrayList<>();
        for (int thread = 0; thread < THREADS; thread++) {
            int number = thread;
            Callable<Object> call = () -> {
                start.await();
                return racer.run(number);
            };
            racers.add(pool.submit(call));
        }
        start.countDown();
        for (Future<?> running : racers) {
            running.get(60, TimeUnit.SECONDS);
        }
    }

    @FunctionalInterface
    private interface Racer {
        Object run(int thread) throws Exception;
    }
}
