package io.github.gptimage.camel.task;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link InMemoryTaskStore}: {@code complete} is a compare-and-set that exactly one of many racing callers wins, and
 * {@code claimDue} is a lease: a claimed task is not claimed again, by anyone, before the lease ends.
 */
class InMemoryTaskStoreTest {

    private static final PollSchedule SCHEDULE = new PollSchedule(Duration.ofSeconds(1), Duration.ofSeconds(30), false);
    private static final int THREADS = 16;

    private final InMemoryTaskStore store = new InMemoryTaskStore();
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private static PendingTask task(String id, Instant nextPollAt) {
        return new PendingTask(id, nextPollAt.minusSeconds(1), null, "token-" + id, Map.of(), SCHEDULE, nextPollAt, 0);
    }

    @Test
    void completeIsTrueForExactlyOneOfManyRacingCallers() throws Exception {
        int tasks = 500;
        Instant now = Instant.now();
        for (int i = 0; i < tasks; i++) {
            store.add(task("t" + i, now));
        }
        Map<String, AtomicInteger> wins = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> racers = new ArrayList<>();
        for (int thread = 0; thread < THREADS; thread++) {
            racers.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < tasks; i++) {
                    if (store.complete("t" + i)) {
                        wins.computeIfAbsent("t" + i, id -> new AtomicInteger()).incrementAndGet();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> racer : racers) {
            racer.get(10, TimeUnit.SECONDS);
        }

        assertThat(wins).hasSize(tasks);
        assertThat(wins.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        assertThat(store.size()).isZero();
        assertThat(store.complete("t0")).isFalse();
    }

    @Test
    void claimedTaskIsNotClaimedAgainBeforeItsLeaseEnds() {
        Instant now = Instant.now();
        store.add(task("t1", now));
        Instant leaseUntil = now.plusSeconds(30);

        List<PendingTask> first = store.claimDue(now, 10, leaseUntil);

        assertThat(first).extracting(PendingTask::taskId).containsExactly("t1");
        assertThat(first.get(0).nextPollAt()).isEqualTo(leaseUntil);
        assertThat(first.get(0).pollCount()).as("a claim is not a poll").isZero();
        assertThat(store.claimDue(now, 10, leaseUntil)).isEmpty();
        assertThat(store.claimDue(leaseUntil.minusMillis(1), 10, leaseUntil.plusSeconds(30))).isEmpty();
        assertThat(store.claimDue(leaseUntil, 10, leaseUntil.plusSeconds(30)))
                .extracting(PendingTask::taskId).containsExactly("t1");
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void rescheduleEndsTheLeaseAndIsANoOpOnceCompleted() {
        Instant now = Instant.now();
        store.add(task("t1", now));
        PendingTask claimed = store.claimDue(now, 10, now.plusSeconds(30)).get(0);

        store.reschedule(claimed.dueAt(now.plusMillis(500), true));
        assertThat(store.claimDue(now.plusMillis(499), 10, now.plusSeconds(30))).isEmpty();
        List<PendingTask> again = store.claimDue(now.plusMillis(500), 10, now.plusSeconds(30));
        assertThat(again).extracting(PendingTask::pollCount).containsExactly(1);

        assertThat(store.complete("t1")).isTrue();
        store.reschedule(again.get(0).dueAt(now, true));
        assertThat(store.find("t1")).isEmpty();
        assertThat(store.size()).isZero();
    }

    @Test
    void claimsOnlyDueTasksOldestFirstUpToTheLimit() {
        Instant now = Instant.now();
        store.add(task("later", now.plusSeconds(5)));
        store.add(task("due-2", now.minusMillis(200)));
        store.add(task("due-1", now.minusMillis(300)));
        store.add(task("due-3", now.minusMillis(100)));

        assertThat(store.claimDue(now, 2, now.plusSeconds(30))).extracting(PendingTask::taskId)
                .containsExactly("due-1", "due-2");
        assertThat(store.claimDue(now, 10, now.plusSeconds(30))).extracting(PendingTask::taskId)
                .containsExactly("due-3");
    }

    @Test
    void concurrentClaimersNeverClaimTheSameTask() throws Exception {
        int tasks = 2_000;
        Instant now = Instant.now();
        for (int i = 0; i < tasks; i++) {
            store.add(task("t" + i, now.minusMillis(i % 50)));
        }
        Map<String, AtomicInteger> claims = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> claimers = new ArrayList<>();
        for (int thread = 0; thread < THREADS; thread++) {
            claimers.add(pool.submit(() -> {
                start.await();
                List<PendingTask> claimed;
                do {
                    claimed = store.claimDue(now, 25, now.plusSeconds(30));
                    claimed.forEach(task -> claims.computeIfAbsent(task.taskId(), id -> new AtomicInteger())
                            .incrementAndGet());
                } while (!claimed.isEmpty());
                return null;
            }));
        }
        start.countDown();
        for (Future<?> claimer : claimers) {
            claimer.get(10, TimeUnit.SECONDS);
        }

        assertThat(claims).hasSize(tasks);
        assertThat(claims.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
    }
}
