package io.github.gptimage.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.github.gptimage.camel.error.GptImageGenerationFailedException;
import io.github.gptimage.camel.error.GptImageProtocolException;
import io.github.gptimage.camel.error.GptImageRetryableException;
import io.github.gptimage.faults.FaultRun.Completion;
import io.github.gptimage.faults.FaultRun.Style;
import io.github.gptimage.simulator.ApiCall;
import io.github.gptimage.simulator.SimulatorStats;
import io.github.gptimage.simulator.TaskDetails;
import io.github.gptimage.simulator.TaskStatus;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.awaitility.Awaitility.await;

/**
 * The fault suite (issue 9, section 8): the component against the simulator with scripted storms while 50 tasks are
 * pending, once per completion style. On generate: 20 consecutive 500, 20 consecutive 455, 20 connection resets, a
 * 429 with Retry-After, 2 malformed bodies, 2 broken chunked bodies (none creates a task). On info: 20 consecutive
 * 500, 20 consecutive 455, 20 resets, 3 malformed bodies, 2 broken chunks and a 429. With callbacks besides: duplicate
 * deliveries, late deliveries, deliveries the receiver's front refuses once (the simulator retries them), and a
 * flood of 1,000 forged callbacks. Submits use the README's redelivery pattern.
 * <p>
 * Each run asserts: every task the service created (the simulator's task list) completed exactly once, counted per task
 * id over the completion route and its dead-letter channel, with the service's outcome; none was lost; no order was
 * paid twice; generate calls = tasks + the failed attempts that created nothing; every forged callback was refused
 * with 401 and none caused an info call; no info call for an id the service never gave out, and the info calls of each
 * task stay within the API's 3 a second. The figures go to {@code target/fault-report.txt}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceIT {

    private static final int FORGED = 1000;
    private static final int FORGED_AFTER = 100;
    /** The longest a generate answer may wait inside the component before the route has it. */
    private static final long ANSWER_TO_ROUTE_MAX_MILLIS = 1500;
    /** The flood starts once this many tasks exist. */
    private static final int FORGE_AFTER_TASKS = 20;
    private static final List<Figures> RUNS = new ArrayList<>();
    private static final StringBuilder TIMELINES = new StringBuilder();

    @Test
    @Order(1)
    void pollingStyle() throws Exception {
        run(Style.POLLING, true, Duration.ofMillis(1000));
    }

    @Test
    @Order(2)
    void callbackStyleVerified() throws Exception {
        run(Style.CALLBACKS, true, Duration.ofMillis(2000));
    }

    @Test
    @Order(3)
    void callbackStyleUnverified() throws Exception {
        run(Style.CALLBACKS, false, Duration.ofMillis(2000));
    }

    @Test
    @Order(4)
    void waitingStyle() throws Exception {
        run(Style.WAITING, true, Duration.ofMillis(500));
    }

    private void run(Style style, boolean verifyCallbacks, Duration completionTime) throws Exception {
        String name = style + (style == Style.CALLBACKS ? (verifyCallbacks ? " (verified)" : " (unverified)") : "");
        try (FaultRun run = new FaultRun(style, verifyCallbacks, completionTime)) {
            run.scriptStorms();
            run.submitAll();

            ForgedCallbacks.Result forged = null;
            ForgedCallbacks forger = style == Style.CALLBACKS ? new ForgedCallbacks(run.receiverPrefix()) : null;
            if (forger != null) {
                // while submits still run and the first tasks are pending: forgeries name the tasks created so far
                await("the first tasks created").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                        .until(() -> run.sim.stats().tasksCreated() >= FORGE_AFTER_TASKS);
                forged = forger.flood(FORGED, run.sentTokens(), run::isPending);
            }
            run.awaitSubmitsResolved(Duration.ofSeconds(60));

            run.awaitCompleted(Duration.ofSeconds(90));
            long completedAfter = run.elapsedMillis();
            if (style == Style.CALLBACKS) {
                long expected = expectedCallbackDeliveries(run);
                await("every callback delivered or given up").atMost(Duration.ofSeconds(30))
                        .until(() -> run.sim.stats().callbacksDelivered() + run.sim.stats().callbacksAbandoned()
                                     >= expected);
            }
            // late duplicates, late callbacks and retries would show within this quiet time
            run.settle(Duration.ofMillis(1500));

            ForgedCallbacks.Result forgedAfter = null;
            long infoCausedAfter = 0;
            if (forger != null) {
                long infoBefore = run.sim.stats().infoCalls();
                forgedAfter = forger.flood(FORGED_AFTER, run.sentTokens(), run::isPending);
                run.settle(Duration.ofMillis(500));
                infoCausedAfter = run.sim.stats().infoCalls() - infoBefore;
            }

            Figures figures = figures(name, run, forged, forgedAfter, infoCausedAfter, completedAfter);
            synchronized (RUNS) {
                RUNS.add(figures);
            }
            System.out.println(figures.render());
            synchronized (TIMELINES) {
                TIMELINES.append("== ").append(name).append('\n').append(run.timeline()).append('\n');
            }
            assertContract(run, figures);
        }
    }

    /** Every task's callback once, those with [duplicate-callback] twice. */
    private static long expectedCallbackDeliveries(FaultRun run) {
        return run.simTasks().values().stream()
                .mapToLong(task -> FaultRun.params(task).path("prompt").asText().contains("[duplicate-callback]") ? 2 : 1)
                .sum();
    }

    private static Figures figures(String name, FaultRun run, ForgedCallbacks.Result forged,
                                   ForgedCallbacks.Result forgedAfter, long infoCausedAfter, long completedAfter) {
        Map<String, TaskDetails> simTasks = run.simTasks();
        SimulatorStats stats = run.sim.stats();
        Map<String, Long> tasksPerOrder = simTasks.values().stream()
                .collect(Collectors.groupingBy(task -> String.valueOf(FaultRun.orderOf(task)), Collectors.counting()));
        Map<String, Integer> infoPerTask = run.http.infoCallsPerTask();
        List<Integer> perSimTask = simTasks.keySet().stream().map(id -> infoPerTask.getOrDefault(id, 0)).toList();
        long unknownIds = infoPerTask.entrySet().stream().filter(e -> !simTasks.containsKey(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        long route = 0;
        long deadLetter = 0;
        for (List<Completion> list : run.completions.values()) {
            for (Completion completion : list) {
                if (completion.deadLettered()) {
                    deadLetter++;
                } else {
                    route++;
                }
            }
        }
        long exactlyOnce = simTasks.keySet().stream()
                .filter(id -> run.completions.getOrDefault(id, List.of()).size() == 1).count();
        long duplicated = simTasks.keySet().stream()
                .filter(id -> run.completions.getOrDefault(id, List.of()).size() > 1).count();
        long lost = simTasks.keySet().stream().filter(id -> !run.completions.containsKey(id)).count();
        Map<ApiCall, Integer> left = run.unconsumedFaults();
        long generateFaults = FaultRun.scripted(FaultRun.GENERATE_STORM) - left.getOrDefault(ApiCall.GENERATE, 0);
        long infoFaults = FaultRun.scripted(FaultRun.INFO_STORM) - left.getOrDefault(ApiCall.INFO, 0);
        return new Figures(name, run.style.description, run.completionTime.toMillis(), FaultRun.ORDERS,
                stats.tasksCreated(), tasksPerOrder.values().stream().filter(n -> n > 1).count(),
                run.deadSubmits.size(), run.deadSubmitsByException(), stats.generateCalls(), generateFaults,
                stats.infoCalls(), infoFaults,
                perSimTask.stream().mapToInt(Integer::intValue).min().orElse(0),
                perSimTask.stream().mapToInt(Integer::intValue).average().orElse(0),
                perSimTask.stream().mapToInt(Integer::intValue).max().orElse(0),
                unknownIds, run.completedTaskIds(), route, deadLetter, exactlyOnce, duplicated, lost, stats,
                run.front == null ? null : run.front.verdicts(), run.front == null ? 0 : run.front.refusedOnPurpose(),
                forged, forgedAfter, infoCausedAfter, List.copyOf(run.rateLimitWaits),
                run.resolvedAt.values().stream().mapToLong(Long::longValue).max().orElse(0),
                run.answerToRouteMillis().values().stream().mapToLong(Long::longValue).max().orElse(-1),
                run.failureThreads.toString(), completedAfter,
                run.elapsedMillis());
    }

    private static void assertContract(FaultRun run, Figures figures) {
        Map<String, TaskDetails> simTasks = run.simTasks();
        SimulatorStats stats = run.sim.stats();
        SoftAssertions soft = new SoftAssertions();

        // the storms did happen: every scripted generate fault was consumed by a submit, and the info storm by the
        // first info calls (unverified callbacks make fewer info calls than the storm has faults: all of them failed)
        soft.assertThat(figures.generateFaults()).as("generate faults consumed")
                .isEqualTo(FaultRun.scripted(FaultRun.GENERATE_STORM));
        soft.assertThat(figures.infoFaults()).as("info faults consumed")
                .isEqualTo(Math.min(FaultRun.scripted(FaultRun.INFO_STORM), stats.infoCalls()));
        soft.assertThat(figures.infoFaults()).as("info faults consumed")
                .isGreaterThanOrEqualTo(run.style == Style.CALLBACKS && !run.verifyCallbacks ? 20
                        : FaultRun.scripted(FaultRun.INFO_STORM));

        // no order paid twice; the simulator's count is its task list
        Map<String, List<String>> tasksPerOrder = new TreeMap<>();
        simTasks.values().forEach(task -> tasksPerOrder.computeIfAbsent(String.valueOf(FaultRun.orderOf(task)),
                o -> new ArrayList<>()).add(task.taskId()));
        soft.assertThat(stats.tasksCreated()).as("tasksCreated vs the task list").isEqualTo(simTasks.size());
        soft.assertThat(tasksPerOrder).as("tasks per order (paid twice when more than one)")
                .allSatisfy((order, ids) -> org.assertj.core.api.Assertions.assertThat(ids).as(order).hasSize(1));

        // every order resolved exactly once: accepted (a task) or dead-lettered, never both, never neither
        Map<String, String> acceptedOrders = acceptedOrders(run);
        Set<String> both = new HashSet<>(acceptedOrders.keySet());
        both.retainAll(run.deadSubmits.keySet());
        Set<String> neither = new HashSet<>(run.allOrders());
        neither.removeAll(acceptedOrders.keySet());
        neither.removeAll(run.deadSubmits.keySet());
        soft.assertThat(both).as("orders both accepted and dead-lettered").isEmpty();
        soft.assertThat(neither).as("orders neither accepted nor dead-lettered (lost submits)").isEmpty();
        soft.assertThat(run.acceptedAgain).as("orders accepted twice").isEmpty();
        soft.assertThat(run.deadAgain).as("orders dead-lettered twice").isEmpty();

        // a dead-lettered submit: a final error, and the service created nothing for it
        run.deadSubmits.forEach((order, cause) -> {
            soft.assertThat(cause).as("exception of dead-lettered %s", order).isNotNull()
                    .isNotInstanceOf(GptImageRetryableException.class);
            soft.assertThat(tasksPerOrder.get(order)).as("tasks created for dead-lettered %s", order).isNull();
        });
        long malformed = run.deadSubmits.values().stream().filter(GptImageProtocolException.class::isInstance).count();
        soft.assertThat(malformed).as("submits dead-lettered by a malformed generate answer")
                .isEqualTo(FaultRun.FINAL_GENERATE_FAULTS);

        // what generate answered is what the service created: the same tasks, for the same orders
        soft.assertThat(new TreeMap<>(acceptedOrders)).as("order -> task id, as the routes learned it")
                .isEqualTo(tasksPerOrder.entrySet().stream().filter(e -> e.getValue().size() == 1)
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(0), (a, b) -> a,
                                TreeMap::new)));
        soft.assertThat(simTasks.size()).as("tasks created").isEqualTo(FaultRun.ORDERS - run.deadSubmits.size());

        // generate calls = tasks + the failed attempts where nothing was created
        soft.assertThat(stats.generateCalls()).as("generate calls = tasks created + faults that created nothing")
                .isEqualTo(stats.tasksCreated() + figures.generateFaults());
        soft.assertThat(run.http.generateCalls()).as("generate calls sent by the component").isEqualTo(
                stats.generateCalls());

        // every task completed exactly once, with the service's outcome, none lost
        soft.assertThat(run.completions.keySet()).as("task ids of the completions")
                .containsExactlyInAnyOrderElementsOf(simTasks.keySet());
        simTasks.forEach((taskId, task) -> {
            List<Completion> list = run.completions.getOrDefault(taskId, List.of());
            soft.assertThat(list).as("completions of %s (%s)", taskId, FaultRun.orderOf(task)).hasSize(1);
            if (list.size() != 1) {
                return;
            }
            Completion completion = list.get(0);
            soft.assertThat(completion.orderId()).as("order header of %s", taskId).isEqualTo(FaultRun.orderOf(task));
            if (task.status() == TaskStatus.SUCCESS) {
                soft.assertThat(completion.deadLettered()).as("success of %s dead-lettered", taskId).isFalse();
                soft.assertThat(completion.resultUrls()).as("result URLs of %s", taskId)
                        .isEqualTo(task.response().resultUrls());
            } else {
                soft.assertThat(task.status()).as("status of %s", taskId).isEqualTo(TaskStatus.GENERATE_FAILED);
                soft.assertThat(completion.deadLettered()).as("failure of %s reached the dead-letter channel", taskId)
                        .isTrue();
                soft.assertThat(completion.failure()).as("exception of %s", taskId)
                        .isInstanceOf(GptImageGenerationFailedException.class);
                soft.assertThat(completion.errorCode()).as("error code of %s", taskId)
                        .isEqualTo(String.valueOf(task.errorCode()));
            }
        });
        soft.assertThat(run.storedTasks()).as("tasks left in the store").isZero();

        // info calls: as counted by the simulator, none for an unknown id, within 3 a second per task
        Map<String, Integer> infoPerTask = run.http.infoCallsPerTask();
        soft.assertThat(run.http.infoCalls()).as("info calls sent by the component").isEqualTo(stats.infoCalls());
        soft.assertThat(infoPerTask.keySet().stream().filter(id -> !simTasks.containsKey(id)).toList())
                .as("info calls for ids the service never gave out").isEmpty();
        Map<String, String> overBound = new HashMap<>();
        simTasks.forEach((taskId, task) -> run.onlyCompletion(taskId).ifPresent(completion -> {
            long lifetimeMillis = Math.max(0, completion.atMillis() - task.createTime());
            long bound = 3 * ((lifetimeMillis + 999) / 1000) + 3;
            int calls = infoPerTask.getOrDefault(taskId, 0);
            if (calls > bound) {
                overBound.put(taskId, calls + " info calls in " + lifetimeMillis + " ms (bound " + bound + ")");
            }
        }));
        soft.assertThat(overBound).as("tasks over 3 info calls a second").isEmpty();

        // an accepted task reaches the store (and the route) soon after the service answered: nothing in the
        // component waits for the routes' redelivery delays
        soft.assertThat(run.answerToRouteMillis()).as("ms from the service's answer to the route, per task")
                .allSatisfy((taskId, lag) -> org.assertj.core.api.Assertions.assertThat(lag).as(taskId)
                        .isLessThanOrEqualTo(ANSWER_TO_ROUTE_MAX_MILLIS));

        // the 429 on generate was waited for as its Retry-After said
        soft.assertThat(run.rateLimitWaits).as("Retry-After waits of the submit route").containsExactly(
                Duration.ofSeconds(1));

        if (run.style == Style.CALLBACKS) {
            soft.assertThat(stats.callbacksAbandoned()).as("callback deliveries given up").isZero();
            soft.assertThat(stats.callbacksDelivered()).as("callback attempts answered 2xx")
                    .isEqualTo(expectedCallbackDeliveries(run));
            soft.assertThat(run.front.refusedOnPurpose()).as("callbacks the front refused once").isPositive();
            soft.assertThat(stats.callbacksFailed()).as("failed callback attempts = the front's refusals")
                    .isEqualTo(run.front.refusedOnPurpose());
            soft.assertThat(run.front.verdicts().keySet()).as("what the receiver answered the real callbacks")
                    .allMatch(verdict -> verdict.startsWith("200 "));
            soft.assertThat(run.front.verdicts().values().stream().mapToLong(Integer::longValue).sum())
                    .as("real callbacks the receiver answered").isEqualTo(stats.callbacksDelivered());
            soft.assertThat(run.front.verdictCount("200 duplicate")).as("duplicate or late callbacks answered 200")
                    .isPositive();
            soft.assertThat(figures.forged().statuses()).as("answers to %d forged callbacks", FORGED)
                    .isEqualTo(Map.of(401, FORGED));
            soft.assertThat(figures.forged().aimedAtPendingTasks()).as("forgeries naming a pending task")
                    .isPositive();
            soft.assertThat(figures.forgedAfter().statuses()).as("answers to forged callbacks after completion")
                    .isEqualTo(Map.of(401, FORGED_AFTER));
            soft.assertThat(figures.infoCallsCausedByForgedAfter()).as("info calls caused by forged callbacks")
                    .isZero();
            run.completions.values().stream().flatMap(List::stream)
                    .filter(c -> c.resultUrls() != null)
                    .forEach(c -> soft.assertThat(c.resultUrls()).as("result URLs of %s", c.taskId())
                            .noneMatch(url -> url.startsWith(ForgedCallbacks.FORGED_URL_PREFIX)));
        }
        soft.assertAll();
    }

    /** order -> task id: from generate's answers, or (waiting producers) from the completions. */
    private static Map<String, String> acceptedOrders(FaultRun run) {
        if (run.style != Style.WAITING) {
            return run.accepted;
        }
        Map<String, String> orders = new HashMap<>();
        run.completions.values().stream().flatMap(List::stream).filter(c -> c.orderId() != null)
                .forEach(c -> orders.put(c.orderId(), c.taskId()));
        return orders;
    }

    @AfterAll
    static void writeReport() throws IOException {
        StringBuilder report = new StringBuilder();
        report.append("Fault suite (FaultToleranceIT): ").append(FaultRun.TASKS)
                .append(" tasks per run through each completion style, under scripted storms\n");
        report.append("generate storm: ").append(FaultRun.describe(FaultRun.GENERATE_STORM)).append('\n');
        report.append("info storm:     ").append(FaultRun.describe(FaultRun.INFO_STORM)).append('\n');
        report.append("callbacks:      every 5th order [duplicate-callback], every 5th [late-callback] (1.5 s late),"
                      + " the first attempt of every 4th callback URL refused 503 by the front (retried after"
                      + " 120 ms, 600 ms, 1.8 s)\n");
        report.append("failed tasks:   every 10th order [fail], every 10th [451]\n\n");
        synchronized (RUNS) {
            RUNS.forEach(run -> report.append(run.render()).append('\n'));
            report.append(Figures.header()).append('\n');
            RUNS.forEach(run -> report.append(run.row()).append('\n'));
        }
        Path file = Path.of(System.getProperty("fault.report", "target/fault-report.txt")).toAbsolutePath();
        Files.createDirectories(file.getParent());
        Files.writeString(file, report.toString(), StandardCharsets.UTF_8);
        synchronized (TIMELINES) {
            Files.writeString(file.resolveSibling("fault-timeline.txt"), TIMELINES.toString(), StandardCharsets.UTF_8);
        }
        System.out.println(report);
    }
}
