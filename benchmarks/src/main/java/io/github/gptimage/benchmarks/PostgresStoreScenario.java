package io.github.gptimage.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.gptimage.camel.GptImageComponent;
import io.github.gptimage.camel.GptImageConstants;
import io.github.gptimage.camel.api.GenerateRequest;
import io.github.gptimage.camel.api.TaskInfo;
import io.github.gptimage.camel.api.TaskStatus;
import io.github.gptimage.camel.task.PollSchedule;
import io.github.gptimage.camel.task.TaskState;
import io.github.gptimage.camel.task.TrackedTask;
import io.github.gptimage.camel.task.jdbc.JdbcTaskStore;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code pg-store}: the JDBC task store on PostgreSQL (an embedded server, its own processes), with one node and with
 * two nodes sharing the tables. Each node is a CamelContext whose gptimage component has the option
 * {@code dataSource} (a HikariCP pool of its own) and its own {@code nodeId}; it submits tracked tasks
 * ({@code gptimage:generate}, {@code trackCompletion=true}, {@code pollInitialDelay=400}) with many exchanges in flight
 * and runs a {@code gptimage:tasks} consumer. The server (WireMock in its own JVM) answers generate and info at once,
 * each task final at its first info call, so that a task's whole life is: insert, claim, info call, complete
 * (compare-and-set, leased to the node delivering it), completion exchange, delete (with its tombstone).
 * <p>
 * Measured per round: tracked submits per second (until the last submit was answered), completions per second, every
 * task completed exactly once (duplicates, missing), completions per node, and the database round trips per task,
 * counted beneath each pool by {@link CountingDataSource} and named by statement.
 */
final class PostgresStoreScenario {

    private static final Pattern TASK_ID = Pattern.compile("[0-9a-f]{32}");
    private static final String KEY = SimulatorProcess.API_KEY;

    private PostgresStoreScenario() {
    }

    /** The figures of one round. */
    private record Round(int tasks, double submitSeconds, double completeSeconds, double completionSpanSeconds,
                         int completedWhenSubmitted, Map<String, Long> roundTrips, long connectionsOpened,
                         long infoCalls, long generateCalls, Map<String, Long> perNode, long crossNode,
                         int duplicates, int missing, long clientCpu, long serverCpu, long databaseCpu,
                         long machineBusy, double seconds) {

        double submitsPerSecond() {
            return tasks / submitSeconds;
        }

        double completionsPerSecond() {
            return tasks / completeSeconds;
        }

        long totalRoundTrips() {
            return roundTrips.values().stream().mapToLong(Long::longValue).sum();
        }

        double roundTripsPerTask() {
            return totalRoundTrips() / (double) tasks;
        }

        double infoCallsPerTask() {
            return infoCalls / (double) tasks;
        }

        double minShare() {
            long total = perNode.values().stream().mapToLong(Long::longValue).sum();
            return perNode.values().stream().mapToDouble(count -> count / (double) total).min().orElse(0);
        }
    }

    static Report run(Args args) throws Exception {
        Report report = new Report("pg-store");
        int tasks = args.intValue("pg-tasks", 20_000);
        int warmup = args.intValue("pg-warmup", 20_000);
        int rounds = args.intValue("pg-rounds", 3);
        int concurrency = args.intValue("pg-concurrency", 64);
        int poolSize = args.intValue("pg-pool", 10);
        int maxPolls = args.intValue("pg-max-concurrent-polls", 10);
        // PostgreSQL's defaults, where zonky turns fsync off: each commit waits for its WAL on disk
        Map<String, String> pgSettings = new LinkedHashMap<>();
        pgSettings.put("fsync", args.get("pg-fsync", "on"));
        pgSettings.put("synchronous_commit", args.get("pg-synchronous-commit", "on"));
        pgSettings.put("max_connections", "100");

        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(pgSettings);
             ChildJvm server = ChildJvm.start("pg-store-server", List.of("-Xmx512m"),
                     FinalAtOnceServer.class.getName(), List.of(KEY))) {
            report.figure("PostgreSQL", "embedded (zonky), its own processes: " + postgres.describe());
            report.figure("server", "WireMock in its own JVM: generate and info answered at once, final at the"
                                    + " first info call");
            report.figure("each node", "a CamelContext, option dataSource = HikariCP (" + poolSize + " connections)"
                                       + " over a round-trip counter, maxConcurrentPolls=" + maxPolls
                                       + ", generate trackCompletion=true&pollInitialDelay=400, a gptimage:tasks"
                                       + " consumer");
            report.figure("load", concurrency + " submits in flight per node (ProducerTemplate.asyncSend +"
                                  + " semaphore); " + tasks + " tasks per round, " + rounds + " rounds after a"
                                  + " warm-up of " + warmup);
            report.note("a round trip: each execute*/executeBatch, commit, rollback and isValid on a connection of"
                        + " the pool (counted beneath the pool, so the pool's own are counted too)");

            List<Round> one = new ArrayList<>();
            try (Node node = new Node("node-1", postgres.jdbcUrl(), "bench1_", poolSize, maxPolls, server.baseUrl())) {
                List<Node> nodes = List.of(node);
                Round warm = round(nodes, warmup, concurrency, postgres, server);
                printRound(report, "one node, warm-up", warm);
                for (int i = 0; i < rounds; i++) {
                    Round round = round(nodes, tasks, concurrency, postgres, server);
                    printRound(report, "one node, round " + (i + 1), round);
                    one.add(round);
                }
            }
            List<Round> two = new ArrayList<>();
            try (Node a = new Node("node-a", postgres.jdbcUrl(), "bench2_", poolSize, maxPolls, server.baseUrl());
                 Node b = new Node("node-b", postgres.jdbcUrl(), "bench2_", poolSize, maxPolls, server.baseUrl())) {
                List<Node> nodes = List.of(a, b);
                Round warm = round(nodes, warmup / 2, concurrency, postgres, server);
                printRound(report, "two nodes, warm-up", warm);
                for (int i = 0; i < rounds; i++) {
                    Round round = round(nodes, tasks / 2, concurrency, postgres, server);
                    printRound(report, "two nodes, round " + (i + 1), round);
                    two.add(round);
                }
            }

            statementCosts(report, postgres, args.intValue("pg-statements", 5000));

            Round oneMedian = median(one, Round::submitsPerSecond);
            Round twoMedian = median(two, Round::submitsPerSecond);
            report.figure("one node, median round", summary(oneMedian));
            report.figure("two nodes, median round", summary(twoMedian));
            printRoundTrips(report, "one node, round trips of the median round", oneMedian);
            printRoundTrips(report, "two nodes, round trips of the median round", twoMedian);

            report.atLeast("tracked submits/s, one node (median round)", oneMedian.submitsPerSecond(), "/s", 1000);
            report.figure("tracked submits/s, two nodes (median round)",
                    String.format(Locale.ROOT, "%.0f/s (no target)", twoMedian.submitsPerSecond()));
            roundTripCheck(report, "one node", oneMedian);
            roundTripCheck(report, "two nodes", twoMedian);
            report.atLeast("smallest node's share of completions, two nodes (worst round)",
                    100 * two.stream().mapToDouble(Round::minShare).min().orElse(0), "%", 25);
            long duplicates = 0;
            long missing = 0;
            for (Round round : concat(one, two)) {
                duplicates += round.duplicates();
                missing += round.missing();
            }
            report.atMost("tasks completed twice, all rounds", duplicates, "", 0);
            report.atMost("tasks never completed, all rounds", missing, "", 0);
            LogCounter.summarize(report);
        }
        return report;
    }

    /**
     * What each store call costs PostgreSQL, one at a time on one connection (autocommit, as the store runs them):
     * {@code count} of each, in the order of a task's life, against two baselines, a {@code SELECT 1} (a round trip
     * that writes nothing) and an insert of one short key into a table of one column (a write transaction).
     */
    private static void statementCosts(Report report, EmbeddedPostgresServer postgres, int count) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.jdbcUrl());
        config.setPoolName("bench-statements");
        config.setMaximumPoolSize(1);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            JdbcTaskStore store = JdbcTaskStore.builder(pool).tablePrefix("bench3_").build();
            store.initialize();
            try (Connection connection = pool.getConnection(); Statement ddl = connection.createStatement()) {
                ddl.execute("CREATE TABLE IF NOT EXISTS bench3_plain (id VARCHAR(255) PRIMARY KEY)");
            }
            GenerateRequest request = GenerateRequest.builder().prompt(SubmitScenario.PROMPT).build().normalized();
            PollSchedule schedule = new PollSchedule(Duration.ofMillis(400), Duration.ofSeconds(30), false);
            Map<String, String> costs = new LinkedHashMap<>();
            List<TrackedTask> added = new ArrayList<>();
            List<TrackedTask> claimed = new ArrayList<>();
            List<TrackedTask> completed = new ArrayList<>();
            for (int pass = 0; pass < 2; pass++) {
                boolean measured = pass == 1;
                added.clear();
                claimed.clear();
                completed.clear();
                String run = "p" + pass + "-";
                measure(costs, measured, "SELECT 1 (a round trip, no write)", count, postgres, () -> {
                    try (Connection connection = pool.getConnection(); Statement select = connection.createStatement()) {
                        for (int i = 0; i < count; i++) {
                            select.execute("SELECT 1");
                        }
                    }
                });
                measure(costs, measured, "INSERT of one key into a one-column table", count, postgres, () -> {
                    for (int i = 0; i < count; i++) {
                        try (Connection connection = pool.getConnection(); PreparedStatement insert =
                                connection.prepareStatement("INSERT INTO bench3_plain (id) VALUES (?)")) {
                            insert.setString(1, run + i);
                            insert.executeUpdate();
                        }
                    }
                });
                measure(costs, measured, "add (INSERT of the task)", count, postgres, () -> {
                    Instant now = Instant.now();
                    for (int i = 0; i < count; i++) {
                        TrackedTask task = TrackedTask.accepted(run + i, "default", now, request, null, Map.of(),
                                schedule, null);
                        store.add(task);
                        added.add(task);
                    }
                });
                measure(costs, measured, "claimDue of 5 tasks (one statement)", count / 5, postgres, () -> {
                    while (claimed.size() < added.size()) {
                        Instant now = Instant.now();
                        List<TrackedTask> batch = store.claimDue(TaskState.PENDING, now.plusSeconds(60), 5,
                                now.plusSeconds(120), "bench");
                        if (batch.isEmpty()) {
                            throw new IllegalStateException("nothing left to claim");
                        }
                        claimed.addAll(batch);
                    }
                });
                TaskInfo info = new TaskInfo("x", TaskStatus.SUCCESS, 1.0, List.of("https://cdn.example.com/x.png"),
                        null, null, Instant.now(), Instant.now(), Map.of());
                measure(costs, measured, "update: complete (UPDATE, compare-and-set)", count, postgres, () -> {
                    for (TrackedTask task : claimed) {
                        Instant now = Instant.now();
                        completed.add(store.update(task, task.finished(info, now, now.plusSeconds(120), "bench",
                                true)).orElseThrow());
                    }
                });
                measure(costs, measured, "remove (DELETE + tombstone, one statement)", count, postgres, () -> {
                    for (TrackedTask task : completed) {
                        if (!store.remove(task)) {
                            throw new IllegalStateException("not removed: " + task.taskId());
                        }
                    }
                });
            }
            report.note("PostgreSQL CPU per statement, one at a time on one connection, " + count + " of each after"
                        + " as many to warm up (store calls on tables of their own):");
            costs.forEach((name, cost) -> report.figure("  " + name, cost));
        }
    }

    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    private static void measure(Map<String, String> costs, boolean measured, String name, int statements,
                                EmbeddedPostgresServer postgres, Work work) throws Exception {
        long cpu = postgres.cpuNanos().orElse(-1L);
        long start = System.nanoTime();
        work.run();
        long wall = System.nanoTime() - start;
        long used = cpu < 0 ? -1 : postgres.cpuNanos().orElse(cpu) - cpu;
        if (measured) {
            costs.put(name, String.format(Locale.ROOT, "%s us of PostgreSQL CPU, %.0f us wall",
                    used < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", used / 1e3 / statements),
                    wall / 1e3 / statements));
        }
    }

    /**
     * The bound: 4 round trips per task over its life (insert, claim, complete, delete) plus one per info
     * call. The check is the stricter reading: an info call that finds the task final leads to its complete, counted
     * in the 4; only an info call that finds it still pending adds one (its reschedule). Here every task is final at
     * its first info call, so the total is held to 4.
     */
    private static void roundTripCheck(Report report, String label, Round round) {
        double extraInfoCalls = Math.max(0, round.infoCalls() - round.tasks()) / (double) round.tasks();
        report.figure("DB round trips per task, " + label, String.format(Locale.ROOT, "%.2f; the issue's bound 4 + 1"
                + " per info call = %.2f", round.roundTripsPerTask(), 4 + round.infoCallsPerTask()));
        report.atMost("DB round trips per task, excluding one per info call that found the task pending, " + label,
                round.roundTripsPerTask() - extraInfoCalls, "", 4);
    }

    private static List<Round> concat(List<Round> a, List<Round> b) {
        List<Round> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Round median(List<Round> rounds, java.util.function.ToDoubleFunction<Round> figure) {
        List<Round> sorted = new ArrayList<>(rounds);
        sorted.sort(Comparator.comparingDouble(figure));
        return sorted.get(sorted.size() / 2);
    }

    private static String summary(Round round) {
        return String.format(Locale.ROOT, "%.0f submits/s, %.0f completions/s, %.2f round trips per task (%.2f info"
                                          + " calls per task)", round.submitsPerSecond(), round.completionsPerSecond(),
                round.roundTripsPerTask(), round.infoCallsPerTask());
    }

    private static void printRound(Report report, String label, Round round) {
        double tasks = round.tasks();
        report.figure(label, String.format(Locale.ROOT,
                "%d tasks: %.0f submits/s (%.2f s), %.0f completions/s (all done %.2f s after the first submit;"
                + " %d done when the last submit was answered); %.2f round trips/task, %.2f info calls/task;"
                + " completions per node %s (%d on another node than their submit); duplicates %d, missing %d",
                round.tasks(), round.submitsPerSecond(), round.submitSeconds(), round.completionsPerSecond(),
                round.completeSeconds(), round.completedWhenSubmitted(), round.roundTripsPerTask(),
                round.infoCallsPerTask(), round.perNode(), round.crossNode(), round.duplicates(), round.missing()));
        double seconds = round.seconds();
        String busy = round.machineBusy() < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f",
                round.machineBusy() / 1e9 / seconds);
        double others = round.machineBusy() < 0 ? Double.NaN
                : Math.max(0, round.machineBusy() - round.clientCpu() - round.serverCpu() - round.databaseCpu())
                  / 1e9 / seconds;
        report.figure("  CPU per task / machine busy", String.format(Locale.ROOT,
                "nodes' JVM %.0f us, server JVM %.0f us, PostgreSQL %s us per task; machine busy %s of %d cores:"
                + " nodes' JVM %.2f, server JVM %.2f, PostgreSQL %s, other processes %s; load average now %.1f",
                round.clientCpu() / 1e3 / tasks, round.serverCpu() / 1e3 / tasks,
                round.databaseCpu() < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", round.databaseCpu() / 1e3 / tasks),
                busy, Runtime.getRuntime().availableProcessors(), round.clientCpu() / 1e9 / seconds,
                round.serverCpu() / 1e9 / seconds,
                round.databaseCpu() < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", round.databaseCpu() / 1e9 / seconds),
                Double.isNaN(others) ? "n/a" : String.format(Locale.ROOT, "%.2f", others), Jvm.loadAverage()));
    }

    private static void printRoundTrips(Report report, String label, Round round) {
        report.figure(label, String.format(Locale.ROOT, "%d for %d tasks = %.2f per task; %d info calls = %.2f per"
                                                        + " task; physical connections opened %d",
                round.totalRoundTrips(), round.tasks(), round.roundTripsPerTask(), round.infoCalls(),
                round.infoCallsPerTask(), round.connectionsOpened()));
        round.roundTrips().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(entry -> report.figure(String.format(Locale.ROOT, "  %7.3f per task  %8d",
                        entry.getValue() / (double) round.tasks(), entry.getValue()), entry.getKey()));
    }

    /**
     * One round: {@code perNode} tasks submitted on each node at once, with {@code concurrency} in flight per node;
     * ends when every task was completed and the task table is empty.
     */
    private static Round round(List<Node> nodes, int perNode, int concurrency, EmbeddedPostgresServer postgres,
                               ChildJvm server) throws Exception {
        String prefix = nodes.get(0).prefix;
        awaitEmpty(postgres.reader(), prefix, Duration.ofSeconds(60));
        System.gc();
        Jvm.sleep(500);
        Completions completions = new Completions();
        nodes.forEach(node -> node.completions.set(completions));
        nodes.forEach(node -> node.counter.reset());
        long[] calls = servedCalls(server.baseUrl());
        long serverCpu = server.cpuTime().toNanos();
        long databaseCpu = postgres.cpuNanos().orElse(-1L);
        long clientCpu = Jvm.processCpuNanos();
        long machineBusy = Jvm.machineBusyNanos();
        long start = System.nanoTime();

        int total = perNode * nodes.size();
        Map<String, String> submittedOn = new ConcurrentHashMap<>();
        CountDownLatch submitted = new CountDownLatch(total);
        AtomicInteger failures = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        AtomicLong lastSubmit = new AtomicLong();
        for (Node node : nodes) {
            node.sender.execute(() -> node.submit(perNode, concurrency, (taskId, failure) -> {
                if (failure != null) {
                    if (failures.getAndIncrement() == 0) {
                        firstFailure.set(failure);
                    }
                } else {
                    submittedOn.put(taskId, node.id);
                }
                lastSubmit.accumulateAndGet(System.nanoTime(), Math::max);
                submitted.countDown();
            }));
        }
        if (!submitted.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException(submitted.getCount() + " submits never completed");
        }
        int completedWhenSubmitted = completions.distinct();
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " of " + total + " submits failed, the first: "
                                            + firstFailure.get());
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!completions.containsAll(submittedOn.keySet()) && System.nanoTime() < deadline) {
            Jvm.sleep(20);
        }
        long lastCompletion = completions.last();
        awaitEmpty(postgres.reader(), prefix, Duration.ofSeconds(60));
        long end = System.nanoTime();
        Map<String, Long> roundTrips = new java.util.TreeMap<>();
        long connections = 0;
        for (Node node : nodes) {
            node.counter.counts().forEach((name, count) -> roundTrips.merge(name, count, Long::sum));
            connections += node.counter.connectionsOpened();
        }
        long clientCpuUsed = Jvm.processCpuNanos() - clientCpu;
        long serverCpuUsed = server.cpuTime().toNanos() - serverCpu;
        long databaseCpuUsed = databaseCpu < 0 ? -1 : postgres.cpuNanos().orElse(databaseCpu) - databaseCpu;
        long busy = machineBusy < 0 ? -1 : Jvm.machineBusyNanos() - machineBusy;
        long[] callsAfter = servedCalls(server.baseUrl());
        // anything delivered a second time would come now, with the table empty it cannot
        Jvm.sleep(1000);

        int duplicates = 0;
        for (long count : completions.perTask.values().stream().map(LongAdder::sum).toList()) {
            duplicates += (int) Math.max(0, count - 1);
        }
        int missing = (int) submittedOn.keySet().stream().filter(id -> !completions.perTask.containsKey(id)).count();
        Map<String, Long> perNodeCount = new java.util.TreeMap<>();
        completions.perNode.forEach((node, count) -> perNodeCount.put(node, count.sum()));
        long crossNode = completions.completedOn.entrySet().stream()
                .filter(entry -> !entry.getValue().equals(submittedOn.get(entry.getKey()))).count();
        return new Round(total, (lastSubmit.get() - start) / 1e9, (lastCompletion - start) / 1e9,
                (lastCompletion - completions.first()) / 1e9, completedWhenSubmitted, roundTrips, connections,
                callsAfter[1] - calls[1], callsAfter[0] - calls[0], perNodeCount, nodes.size() > 1 ? crossNode : 0,
                duplicates, missing, clientCpuUsed, serverCpuUsed, databaseCpuUsed, busy, (end - start) / 1e9);
    }

    private static void awaitEmpty(DataSource reader, String prefix, Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Connection connection = reader.getConnection(); Statement count = connection.createStatement();
                 ResultSet row = count.executeQuery("SELECT COUNT(*) FROM " + prefix + "task")) {
                row.next();
                int left = row.getInt(1);
                if (left == 0) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(left + " tasks left in the table " + prefix + "task after "
                                                    + timeout);
                }
            } catch (SQLException e) {
                if ("42P01".equals(e.getSQLState())) {
                    return; // no table yet: the store creates it on first use
                }
                throw e;
            }
            Jvm.sleep(20);
        }
    }

    /** The generate and info calls the server answered so far. */
    private static long[] servedCalls(String baseUrl) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/__bench/count")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode data = new ObjectMapper().readTree(response.body()).path("data");
        return new long[] {data.path("generateCalls").asLong(), data.path("infoCalls").asLong()};
    }

    /** The completions of one round, by task and by node. */
    private static final class Completions {
        final Map<String, LongAdder> perTask = new ConcurrentHashMap<>();
        final Map<String, String> completedOn = new ConcurrentHashMap<>();
        final Map<String, LongAdder> perNode = new ConcurrentHashMap<>();
        private final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        private final AtomicLong last = new AtomicLong();

        void completed(String taskId, String node) {
            long now = System.nanoTime();
            perTask.computeIfAbsent(taskId, id -> new LongAdder()).increment();
            completedOn.put(taskId, node);
            perNode.computeIfAbsent(node, id -> new LongAdder()).increment();
            first.accumulateAndGet(now, Math::min);
            last.accumulateAndGet(now, Math::max);
        }

        int distinct() {
            return perTask.size();
        }

        boolean containsAll(Set<String> taskIds) {
            return perTask.size() >= taskIds.size() && perTask.keySet().containsAll(taskIds);
        }

        long first() {
            return first.get();
        }

        long last() {
            return last.get();
        }
    }

    /** Called once per submit: the task id, or the failure. */
    @FunctionalInterface
    private interface SubmitDone {
        void done(String taskId, String failure);
    }

    /** One node: a CamelContext with the gptimage component on a pool of its own, submitting and consuming. */
    private static final class Node implements AutoCloseable {
        final String id;
        final String prefix;
        final CountingDataSource counter;
        final AtomicReference<Completions> completions = new AtomicReference<>(new Completions());
        final ExecutorService sender;
        private final HikariDataSource pool;
        private final CamelContext context;
        private final ProducerTemplate template;
        private final Endpoint submit;

        Node(String id, String jdbcUrl, String prefix, int poolSize, int maxPolls, String baseUrl) throws Exception {
            this.id = id;
            this.prefix = prefix;
            PGSimpleDataSource driver = new PGSimpleDataSource();
            driver.setUrl(jdbcUrl);
            counter = new CountingDataSource(driver);
            HikariConfig config = new HikariConfig();
            config.setDataSource(counter);
            config.setPoolName("bench-" + id);
            config.setMaximumPoolSize(poolSize);
            config.setMinimumIdle(poolSize);
            pool = new HikariDataSource(config);
            context = new DefaultCamelContext();
            context.getCamelContextExtension().setName("bench-" + id);
            GptImageComponent gptimage = context.getComponent("gptimage", GptImageComponent.class);
            gptimage.setDataSource(pool);
            gptimage.setTablePrefix(prefix);
            gptimage.setNodeId(id);
            gptimage.setLeaseDuration(Duration.ofSeconds(10).toMillis());
            gptimage.getConfiguration().setMaxConcurrentPolls(maxPolls);
            gptimage.getConfiguration().setApiKey(KEY);
            gptimage.getConfiguration().setBaseUrl(baseUrl);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:submit").to("gptimage:generate?pollInitialDelay=400");
                    from("gptimage:tasks?delay=500").routeId("tasks-" + id).process(exchange -> {
                        String taskId = exchange.getMessage().getHeader(GptImageConstants.TASK_ID, String.class);
                        completions.get().completed(taskId, id);
                    });
                }
            });
            context.start();
            template = context.createProducerTemplate();
            template.setThreadedAsyncMode(false);
            submit = context.getEndpoint("direct:submit");
            sender = context.getExecutorServiceManager().newSingleThreadExecutor(this, "bench-sender-" + id);
        }

        /** Submits {@code count} tasks with {@code concurrency} in flight, from the calling thread. */
        void submit(int count, int concurrency, SubmitDone done) {
            Semaphore permits = new Semaphore(concurrency);
            for (int i = 0; i < count; i++) {
                permits.acquireUninterruptibly();
                Exchange exchange = submit.createExchange(ExchangePattern.InOut);
                exchange.getMessage().setBody(SubmitScenario.PROMPT);
                template.asyncSend(submit, exchange).whenComplete((result, error) -> {
                    String failure = error != null ? error.toString()
                            : result.getException() != null ? result.getException().toString() : null;
                    String taskId = failure == null ? String.valueOf(result.getMessage().getBody()) : null;
                    if (failure == null && !TASK_ID.matcher(taskId).matches()) {
                        failure = "body is no task id: " + taskId;
                    }
                    permits.release();
                    done.done(taskId, failure);
                });
            }
        }

        @Override
        public void close() throws Exception {
            try {
                context.getExecutorServiceManager().shutdown(sender);
                context.close();
            } finally {
                pool.close();
            }
        }

        @Override
        public String toString() {
            return id;
        }
    }
}
