package io.github.gptimage.benchmarks;

import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.gptimage.camel.GptImageComponent;
import io.github.gptimage.camel.GptImageConstants;
import io.github.gptimage.camel.api.GenerateRequest;
import io.github.gptimage.camel.task.InMemoryTaskStore;
import io.github.gptimage.camel.task.PollSchedule;
import io.github.gptimage.camel.task.TaskState;
import io.github.gptimage.camel.task.TrackedTask;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * {@code waits}: 10,000 exchanges waiting at once ({@code waitForCompletion=true}, 2 s polls) for tasks the
 * simulator (its own JVM) finishes 5 s after their submit. Threads added, heap per pending task, info calls per task,
 * and per task the lag from the moment the simulator made it final (its {@code completeTime}) to the moment its
 * exchange completed.
 */
final class WaitsScenario {

    private WaitsScenario() {
    }

    static Report run(Args args) throws Exception {
        Report report = new Report("waits");
        int tasks = args.intValue("tasks", 10_000);
        int warmupTasks = args.intValue("waits-warmup", 1_000);
        int maxConcurrentPolls = args.intValue("max-concurrent-polls", 64);
        Duration completion = Duration.ofSeconds(5);
        try (SimulatorProcess simulator = SimulatorProcess.start(completion)) {
            simulator.infoCalls(); // the admin client's own thread exists before the baselines
            Jvm.usedHeapAfterGc();
            int threadsBeforeContext = Jvm.liveThreads();

            CamelContext context = new DefaultCamelContext();
            GptImageComponent gptimage = context.getComponent("gptimage", GptImageComponent.class);
            gptimage.getConfiguration().setMaxConcurrentPolls(maxConcurrentPolls);
            // the default in-memory store, given explicitly so that the benchmark can count its pending tasks
            RecordingTaskStore store = new RecordingTaskStore((tasks + warmupTasks) * 8);
            gptimage.getConfiguration().setTaskStore(store);
            String uri = "gptimage:generate?apiKey=RAW(" + SimulatorProcess.API_KEY + ")&baseUrl="
                         + simulator.baseUrl() + "&waitForCompletion=true&pollInitialDelay=2000&pollMaxInterval=2000";
            try {
                context.start();
                Endpoint endpoint = context.getEndpoint(uri);
                ProducerTemplate template = context.createProducerTemplate();
                template.setThreadedAsyncMode(false);
                report.figure("endpoint", uri.replaceAll("baseUrl=[^&]+", "baseUrl=(simulator)"));
                report.figure("maxConcurrentPolls (component option)", String.valueOf(maxConcurrentPolls));
                report.figure("simulator", "own JVM, completionTime " + completion.toSeconds()
                                           + " s, info rate limit 3/s per task");

                Burst warmup = new Burst(warmupTasks);
                warmup.submit(template, endpoint);
                warmup.awaitDone(Duration.ofMinutes(2));
                report.figure("warm-up", warmupTasks + " waits, " + warmup.failures.get() + " failed");
                simulator.reset();
                Jvm.sleep(1_000);
                store.clearLog();

                Burst burst = new Burst(tasks);
                long heapBefore = Jvm.usedHeapAfterGc();
                int threadsBefore = Jvm.liveThreads();
                Jvm.THREADS.resetPeakThreadCount();

                long start = System.nanoTime();
                burst.submit(template, endpoint);
                double sendSeconds = (System.nanoTime() - start) / 1e9;
                // the snapshot: all accepted (pending in the store, an exchange waiting for each), or, should the
                // submits take longer than a task (a loaded machine), the moment the first exchange completes
                while (store.count(TaskState.PENDING) + store.count(TaskState.FINAL) < tasks
                       && burst.done.getCount() == tasks
                       && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60)) {
                    Jvm.sleep(5);
                }
                double acceptSeconds = (System.nanoTime() - start) / 1e9;
                int pendingAtSnapshot = store.count(TaskState.PENDING);
                int finalAtSnapshot = store.count(TaskState.FINAL);
                long liveAtSnapshot = burst.done.getCount();
                Map<String, Integer> census = threadCensus();
                long heapPending = Jvm.usedHeapAfterGc();
                int pendingAfterGc = store.count(TaskState.PENDING);
                long liveAfterGc = burst.done.getCount();

                boolean allDone = burst.awaitDone(Duration.ofMinutes(3));
                int peakThreads = Jvm.THREADS.getPeakThreadCount();
                double totalSeconds = (System.nanoTime() - start) / 1e9;
                long infoCalls = simulator.infoCalls();
                long generateCalls = simulator.generateCalls();
                Map<String, SimulatorProcess.SimTask> simTasks = simulator.tasks();

                report.figure("submitted", String.format("%d asyncSend in %.2f s; heap snapshot at %.2f s"
                                                         + " (%s); all done after %.1f s", tasks, sendSeconds,
                        acceptSeconds, pendingAtSnapshot + finalAtSnapshot == tasks ? "all accepted"
                                : "NOT all accepted: the first exchange completed first", totalSeconds));
                report.figure("generate calls / info calls (simulator)", generateCalls + " / " + infoCalls);
                report.figure("failed exchanges", burst.failures.get()
                                                  + (burst.firstFailure.get() != null ? " (first: "
                                                                                        + burst.firstFailure.get() + ")"
                                                          : ""));
                report.figure("threads before CamelContext / after warm-up / peak", threadsBeforeContext + " / "
                                                                                     + threadsBefore + " / "
                                                                                     + peakThreads);
                report.figure("threads while all pending", census.toString());
                report.figure("threads added vs. after warm-up", String.valueOf(peakThreads - threadsBefore));
                report.figure("heap used after GC before / at the snapshot", String.format("%.1f MiB / %.1f MiB"
                                                                                       + " (%d tasks pending and %d"
                                                                                       + " final in the store, %d"
                                                                                       + " exchanges waiting)",
                        heapBefore / 1048576.0, heapPending / 1048576.0, pendingAtSnapshot, finalAtSnapshot,
                        liveAtSnapshot));
                report.figure("info calls per task if every poll were on time", idealSchedule(completion));

                long[] lags = new long[tasks];
                int unknown = 0;
                int lagged = 0;
                for (int i = 0; i < tasks; i++) {
                    SimulatorProcess.SimTask simTask = burst.taskIds[i] == null ? null
                            : simTasks.get(burst.taskIds[i]);
                    if (simTask == null || simTask.completeTime() == null || burst.doneAt[i] == 0) {
                        unknown++;
                        lags[i] = Long.MAX_VALUE;
                        continue;
                    }
                    lags[i] = burst.doneAt[i] - simTask.completeTime();
                    if (lags[i] > 5_000) {
                        lagged++;
                    }
                }
                Arrays.sort(lags);
                report.figure("lag final -> exchange done p50 / p90 / p99 / max",
                        String.format("%d / %d / %d / %s ms", lags[tasks / 2], lags[(int) (tasks * 0.9)],
                                lags[(int) Math.min(tasks - 1, Math.ceil(tasks * 0.99) - 1)],
                                lags[tasks - 1] == Long.MAX_VALUE ? "n/a" : String.valueOf(lags[tasks - 1])));
                report.figure("lag min (negative: exchange done before the simulator's completeTime)",
                        lags[0] + " ms");
                if (!allDone || unknown > 0) {
                    report.note(unknown + " tasks have no measured lag (not completed, or unknown to the"
                                + " simulator)");
                }
                lagParts(report, burst, simTasks, store);
                report.atMost("tasks completed > 5 s after final (or never)", lagged + unknown, "tasks", 0);
                report.atMost("max lag final -> completion", lags[tasks - 1] == Long.MAX_VALUE ? Double.NaN
                        : lags[tasks - 1] / 1000.0, "s", 5);
                report.atMost("info calls per task", infoCalls / (double) tasks, "", 2);
                report.atMost("threads added (peak - before CamelContext)", peakThreads - threadsBeforeContext, "",
                        16);
                // per waiting exchange: all of them pending in the store, unless the snapshot had to be taken early
                long divisor = Math.max(1, Math.min(liveAtSnapshot, liveAfterGc));
                report.atMost(pendingAtSnapshot == tasks && pendingAfterGc == tasks ? "heap per pending task"
                        : "heap per waiting exchange (" + Math.min(pendingAtSnapshot, pendingAfterGc)
                          + " of them pending in the store at the snapshot)",
                        (heapPending - heapBefore) / 1024.0 / divisor, "KiB", 4);
                if (burst.failures.get() > 0) {
                    report.atMost("failed exchanges", burst.failures.get(), "", 0);
                }
            } finally {
                context.stop();
            }
            report.machineLoad(simulator.jvm().cpuTime().toNanos());
            LogCounter.summarize(report);
        }
        return report;
    }

    /**
     * The component's poll schedule replayed for one task of {@code completion} polled exactly when due and answered
     * at once, with the simulator's progress (linear from the submit, floored to 0.01): the info calls a task needs
     * when the poller keeps up.
     */
    static String idealSchedule(Duration completion) {
        PollSchedule schedule = new PollSchedule(Duration.ofMillis(2000), Duration.ofMillis(2000), false);
        Instant submitted = Instant.parse("2026-01-01T00:00:00Z");
        TrackedTask task = TrackedTask.accepted("replay", "replay", submitted, GenerateRequest.builder()
                .prompt("replay").build().normalized(), null, Map.of(), schedule, null);
        StringBuilder polls = new StringBuilder();
        int calls = 0;
        Instant due = task.dueAt();
        while (calls < 50) {
            calls++;
            long elapsed = Duration.between(submitted, due).toMillis();
            if (elapsed >= completion.toMillis()) {
                polls.append(String.format("+%.2f s final", elapsed / 1000.0));
                break;
            }
            double progress = Math.floor(elapsed * 100.0 / completion.toMillis()) / 100;
            polls.append(String.format("+%.2f s (progress %.2f), ", elapsed / 1000.0, progress));
            Instant next = schedule.nextPoll(task, due, progress);
            task = task.polled(next, progress, due);
            due = next;
        }
        return calls + " (PollSchedule replayed: " + polls + ")";
    }

    /**
     * Splits each task's lag, from the store's log: the generate answer recorded (after the simulator created the
     * task), the poll that found it final planned (its due time) and made (the final answer recorded), and the
     * exchange completed.
     */
    private static void lagParts(Report report, Burst burst, Map<String, SimulatorProcess.SimTask> simTasks,
                                 RecordingTaskStore store) {
        Map<String, java.util.List<RecordingTaskStore.Event>> events = store.events();
        int n = burst.taskIds.length;
        long[] answer = new long[n];
        long[] planned = new long[n];
        long[] pollDelay = new long[n];
        long[] permitWait = new long[n];
        long[] call = new long[n];
        long[] delivery = new long[n];
        long[] pollsBeforeFinal = new long[n];
        // one entry per info call: a task may be polled more than once
        int eventCount = events.values().stream().mapToInt(java.util.List::size).sum();
        long[] callsDuringSubmits = new long[eventCount];
        long[] callsAfterSubmits = new long[eventCount];
        int during = 0;
        int after = 0;
        // when the last generate answer was recorded: until then polls share the connection pool with submits
        long lastAdded = events.values().stream().flatMap(java.util.List::stream)
                .filter(event -> event.kind() == RecordingTaskStore.Kind.ADDED)
                .mapToLong(RecordingTaskStore.Event::at).max().orElse(0);
        for (java.util.List<RecordingTaskStore.Event> log : events.values()) {
            RecordingTaskStore.Event claimed = null;
            for (RecordingTaskStore.Event event : log) {
                if (event.kind() == RecordingTaskStore.Kind.CLAIMED) {
                    claimed = event;
                } else if (claimed != null) {
                    if (claimed.at() < lastAdded) {
                        callsDuringSubmits[during++] = event.at() - claimed.at();
                    } else {
                        callsAfterSubmits[after++] = event.at() - claimed.at();
                    }
                    claimed = null;
                }
            }
        }
        int measured = 0;
        for (int i = 0; i < n; i++) {
            SimulatorProcess.SimTask simTask = burst.taskIds[i] == null ? null : simTasks.get(burst.taskIds[i]);
            java.util.List<RecordingTaskStore.Event> log = simTask == null ? null : events.get(burst.taskIds[i]);
            if (log == null || simTask.completeTime() == null || log.get(0).kind() != RecordingTaskStore.Kind.ADDED) {
                continue;
            }
            RecordingTaskStore.Event last = null;
            RecordingTaskStore.Event claimed = null;
            RecordingTaskStore.Event fin = null;
            int polls = 0;
            for (RecordingTaskStore.Event event : log) {
                if (event.kind() == RecordingTaskStore.Kind.FINAL) {
                    fin = event;
                    break;
                }
                if (event.kind() == RecordingTaskStore.Kind.CLAIMED) {
                    claimed = event;
                    continue;
                }
                last = event;
                claimed = null;
                polls += event.kind() == RecordingTaskStore.Kind.POLLED ? 1 : 0;
            }
            if (fin == null || last == null || claimed == null) {
                continue;
            }
            answer[measured] = log.get(0).at() - simTask.createTime();
            planned[measured] = last.dueAt() - simTask.completeTime();
            pollDelay[measured] = fin.at() - last.dueAt();
            permitWait[measured] = claimed.at() - last.dueAt();
            call[measured] = fin.at() - claimed.at();
            delivery[measured] = burst.doneAt[i] - fin.at();
            pollsBeforeFinal[measured] = polls;
            measured++;
        }
        report.figure("lag split over " + measured + " tasks (store log)", "p50 / p99 / max, ms");
        report.figure("  generate answer recorded - simulator createTime", percentiles(answer, measured));
        report.figure("  final poll due - simulator completeTime (schedule)", percentiles(planned, measured));
        report.figure("  final answer recorded - final poll due (poller)", percentiles(pollDelay, measured));
        report.figure("    of which: claimed for the poll - due", percentiles(permitWait, measured));
        report.figure("    of which: answer recorded - claimed (info call)", percentiles(call, measured));
        report.figure("  every info call claimed while submits were still answered, " + during + " calls",
                percentiles(callsDuringSubmits, during));
        report.figure("  every info call claimed after the last submit was answered, " + after + " calls",
                percentiles(callsAfterSubmits, after));
        report.figure("  exchange done - final answer recorded (delivery)", percentiles(delivery, measured));
        report.figure("  polls that found the task running", percentiles(pollsBeforeFinal, measured)
                .replace(" ms", "") + " (mean " + String.format("%.2f",
                java.util.Arrays.stream(pollsBeforeFinal, 0, measured).average().orElse(Double.NaN)) + ")");
        if (store.overflowed()) {
            report.note("the store log overflowed: some tasks have no split");
        }
    }

    private static String percentiles(long[] values, int count) {
        if (count == 0) {
            return "n/a";
        }
        long[] sorted = java.util.Arrays.copyOf(values, count);
        java.util.Arrays.sort(sorted);
        return sorted[count / 2] + " / " + sorted[(int) Math.min(count - 1, Math.ceil(count * 0.99) - 1)] + " / "
               + sorted[count - 1] + " ms";
    }

    /** Live threads by name, digits dropped. */
    static Map<String, Integer> threadCensus() {
        Map<String, Integer> census = new TreeMap<>();
        for (ThreadInfo info : Jvm.THREADS.getThreadInfo(Jvm.THREADS.getAllThreadIds())) {
            if (info != null) {
                census.merge(info.getThreadName().replaceAll("\\d+", "#"), 1, Integer::sum);
            }
        }
        return census;
    }

    /** N waits sent at once; per wait, its task id and when its exchange completed (epoch ms). */
    static final class Burst {
        final long[] doneAt;
        final String[] taskIds;
        final CountDownLatch done;
        final AtomicInteger failures = new AtomicInteger();
        final AtomicReference<String> firstFailure = new AtomicReference<>();

        Burst(int size) {
            doneAt = new long[size];
            taskIds = new String[size];
            done = new CountDownLatch(size);
        }

        void submit(ProducerTemplate template, Endpoint endpoint) {
            for (int i = 0; i < doneAt.length; i++) {
                int index = i;
                Exchange exchange = endpoint.createExchange(ExchangePattern.InOut);
                exchange.getMessage().setBody(SubmitScenario.PROMPT);
                template.asyncSend(endpoint, exchange).whenComplete((result, error) -> {
                    doneAt[index] = System.currentTimeMillis();
                    taskIds[index] = result != null ? result.getMessage().getHeader(GptImageConstants.TASK_ID,
                            String.class) : null;
                    Throwable failure = error != null ? error : result.getException();
                    if (failure != null && failures.getAndIncrement() == 0) {
                        firstFailure.set(failure.toString());
                    }
                    done.countDown();
                });
            }
        }

        boolean awaitDone(Duration timeout) throws InterruptedException {
            return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
