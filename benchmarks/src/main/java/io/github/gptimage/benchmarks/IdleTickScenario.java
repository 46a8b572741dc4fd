package io.github.gptimage.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import io.github.gptimage.camel.GptImageComponent;
import io.github.gptimage.camel.api.GenerateRequest;
import io.github.gptimage.camel.task.Account;
import io.github.gptimage.camel.task.InMemoryTaskStore;
import io.github.gptimage.camel.task.PollSchedule;
import io.github.gptimage.camel.task.TaskState;
import io.github.gptimage.camel.task.TrackedTask;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * {@code idle-tick}: 100,000 pending tasks in the default in-memory store, none due for an hour, and the task
 * service running (a started generate endpoint of the tasks' account): the CPU time of the service's threads (worker
 * pool "GptImage" and scheduler "GptImageScheduler", per-thread CPU from the ThreadMXBean) over a number of 1 s
 * heartbeats, divided by the heartbeats; the same with the store empty, for comparison. Then the store calls of one
 * tick, {@code claimDue} + {@code nextDue} with nothing due, timed over 100,000 calls.
 */
final class IdleTickScenario {

    private static final String BASE_URL = "http://localhost:9"; // nothing is sent: no task is ever due
    private static final Predicate<String> WORKERS = name -> name.endsWith("- GptImage");
    private static final Predicate<String> SCHEDULER = name -> name.endsWith("- GptImageScheduler");
    private static final Predicate<String> HTTP_IO = name -> name.contains("GptImageHttpIO");

    private IdleTickScenario() {
    }

    static Report run(Args args) throws Exception {
        Report report = new Report("idle-tick");
        int pending = args.intValue("pending", 100_000);
        int ticks = args.intValue("ticks", 20);
        int calls = args.intValue("calls", 100_000);
        String key = SimulatorProcess.API_KEY;
        InMemoryTaskStore store = new InMemoryTaskStore();
        CamelContext context = new DefaultCamelContext();
        try {
            GptImageComponent gptimage = context.getComponent("gptimage", GptImageComponent.class);
            gptimage.getConfiguration().setTaskStore(store);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:idle").to("gptimage:generate?apiKey=RAW(" + key + ")&baseUrl=" + BASE_URL);
                }
            });
            context.start();
            report.figure("store", "InMemoryTaskStore (default bound " + InMemoryTaskStore.DEFAULT_MAX_TASKS + ")");
            Jvm.sleep(2_000);
            Tick empty = measure(Math.max(5, ticks / 2));
            report.figure("empty store: poller CPU per tick", String.format("%.1f us (workers %.1f, scheduler %.1f;"
                                                                           + " over %d s)",
                    empty.perTickMicros(), empty.workerMicros(), empty.schedulerMicros(), empty.ticks()));

            String account = Account.derivedName(BASE_URL, key);
            PollSchedule inAnHour = new PollSchedule(Duration.ofHours(1), Duration.ofHours(1), false);
            GenerateRequest request = GenerateRequest.builder().prompt(SubmitScenario.PROMPT).build().normalized();
            Instant now = Instant.now();
            for (int i = 0; i < pending; i++) {
                store.add(TrackedTask.accepted(UUID.randomUUID().toString().replace("-", ""), account, now, request,
                        null, Map.of(), inAnHour, null));
            }
            report.figure("pending tasks", store.count(TaskState.PENDING) + ", first due at "
                                           + store.nextDue(TaskState.PENDING).orElseThrow() + " (in 1 h)");
            Jvm.usedHeapAfterGc();
            Jvm.sleep(2_000);
            Tick full = measure(ticks);
            report.figure(pending + " pending: poller CPU per tick", String.format("%.1f us (workers %.1f,"
                                                                                  + " scheduler %.1f; over %d s)",
                    full.perTickMicros(), full.workerMicros(), full.schedulerMicros(), full.ticks()));
            report.figure("HTTP I/O threads (no call made), per second", String.format("%.1f us",
                    full.ioMicros()));
            report.atMost("poller CPU per idle tick, " + pending + " pending", full.perTickMicros() / 1000.0, "ms",
                    1);

            // the store calls of one pump with nothing due (256 = the service's claim batch)
            String owner = gptimage.getNodeId();
            long sink = 0;
            for (int round = 0; round < 2; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    Instant at = Instant.now();
                    sink += store.claimDue(TaskState.PENDING, at, 256, at.plus(Duration.ofMinutes(2)), owner).size();
                    sink += store.nextDue(TaskState.PENDING).isPresent() ? 1 : 0;
                }
                double nanos = (System.nanoTime() - start) / (double) calls;
                if (round == 1) {
                    report.figure("store.claimDue(PENDING, now, 256) + nextDue, nothing due",
                            String.format("%.0f ns per pair (mean of %d, after as many to warm up)", nanos, calls));
                }
            }
            if (sink != 2L * calls) {
                throw new IllegalStateException("a claim found a due task, or nextDue none: " + sink);
            }
            report.machineLoad(-1);
            LogCounter.summarize(report);
        } finally {
            context.stop();
        }
        return report;
    }

    /** CPU of the service's threads over {@code ticks} heartbeats, in microseconds. */
    private record Tick(int ticks, double workerMicros, double schedulerMicros, double ioMicros) {
        double perTickMicros() {
            return workerMicros + schedulerMicros;
        }
    }

    private static Tick measure(int ticks) {
        Map<Long, Long> workers = Jvm.threadCpu(WORKERS);
        Map<Long, Long> scheduler = Jvm.threadCpu(SCHEDULER);
        Map<Long, Long> io = Jvm.threadCpu(HTTP_IO);
        long start = System.nanoTime();
        Jvm.sleep(ticks * 1_000L);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Tick(ticks, Jvm.cpuSince(workers, Jvm.threadCpu(WORKERS)) / 1e3 / seconds,
                Jvm.cpuSince(scheduler, Jvm.threadCpu(SCHEDULER)) / 1e3 / seconds,
                Jvm.cpuSince(io, Jvm.threadCpu(HTTP_IO)) / 1e3 / seconds);
    }
}
