package io.github.gptimage.camel.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.zaxxer.hikari.HikariDataSource;
import io.github.gptimage.camel.task.TaskState;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node's JVM killed with {@code kill -9} (a {@link ChildNode} in a process of its own) loses nothing: on an H2 file
 * and on PostgreSQL, a fresh node on the same database completes every task the dead one had submitted, exactly once,
 * without submitting (and paying) any of them again; completion exchanges that were inside the dead node's route are
 * delivered again, once each, after their delivery leases expired.
 */
class KilledJvmTest extends PostgresClusterTest {

    private static final Logger LOG = LoggerFactory.getLogger(KilledJvmTest.class);
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final int TASKS = 100;
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(45);

    @RegisterExtension
    static WireMockExtension api = WireMockExtension.newInstance().options(ClusterApi.server()).build();

    @TempDir
    Path dir;

    enum Database {
        H2,
        POSTGRESQL
    }

    private String jdbcUrl(Database database) {
        return database == Database.H2 ? Databases.h2FileUrl(dir) : Databases.jdbcUrl(postgres);
    }

    /**
     * The child submits 100 tasks (the service reporting them still generating) and is killed once its store holds
     * them; the service then finishes them, and a fresh node on the same database completes each once, with no
     * generate sent again.
     */
    @ParameterizedTest
    @EnumSource(Database.class)
    void pendingTasksOfAKilledJvmAreCompletedOnceByTheNextNode(Database database) throws Exception {
        String prefix = Databases.newPrefix("killed_pending");
        ClusterApi.stubGenerateFreshIds(api);
        ClusterApi.stubInfoGenerating(api);

        long started = System.nanoTime();
        long killedAt;
        try (ChildJvm child = startChild("pending-" + database, database, prefix, "none")) {
            child.awaitOutput(Pattern.compile("(?m)^STORED pending=" + TASKS + " final=0$"), CHILD_TIMEOUT);
            killedAt = System.nanoTime();
            assertThat(child.kill()).as("exit code of a JVM killed by SIGKILL").isEqualTo(137);
            assertThat(child.lines("SUBMIT FAILED")).isEmpty();
        }
        Set<String> submitted = submittedTaskIds();
        assertThat(submitted).hasSize(TASKS);
        int infoCallsBefore = ClusterApi.infoCalls(api);

        api.resetMappings();
        ClusterApi.stubInfoSuccess(api);
        Completions completions = new Completions();
        long restarted = System.nanoTime();
        HikariDataSource pool = Databases.pool(jdbcUrl(database), 8);
        assertThat(Databases.count(pool, prefix, TaskState.PENDING)).as("pending tasks the killed JVM left")
                .isEqualTo(TASKS);
        try (Node next = Node.builder("next-node", pool, prefix, api.baseUrl()).leaseDuration(LEASE)
                .tasksConsumer(completions).start()) {
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(completions.tasks()).as("tasks completed").isEqualTo(TASKS));
            long completed = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).until(() -> Databases.storedTasks(pool, prefix) == 0);
            Thread.sleep(500);

            assertThat(completions.perTask().keySet()).isEqualTo(submitted);
            assertThat(completions.perTask()).allSatisfy((taskId, count) -> assertThat(count)
                    .as("completions of %s", taskId).isEqualTo(1L));
            assertThat(completions.all()).noneMatch(Completions.Completion::failed);
            assertThat(ClusterApi.generateCalls(api)).as("generate calls, in all").isEqualTo(TASKS);
            LOG.info("{}: {} tasks pending when the child JVM was killed ({} ms after its start, {} info calls by"
                     + " then); the next node completed them all {} ms after it started", database, TASKS,
                    millis(killedAt - started), infoCallsBefore, millis(completed - restarted));
        }
    }

    /**
     * The child's tasks consumer route holds every completion exchange (a delay longer than the test) when the JVM is
     * killed: nothing removed the tasks from the store. A fresh node delivers each of them again, once, after the
     * delivery lease of the dead node expired, without another info call.
     */
    @ParameterizedTest
    @EnumSource(Database.class)
    void completionsInsideTheRouteOfAKilledJvmAreDeliveredAgainOnce(Database database) throws Exception {
        String prefix = Databases.newPrefix("killed_route");
        ClusterApi.stubGenerateFreshIds(api);
        ClusterApi.stubInfoSuccess(api);

        long started = System.nanoTime();
        long killedAt;
        try (ChildJvm child = startChild("route-" + database, database, prefix, "blocking")) {
            child.awaitOutput(c -> c.lines("IN_ROUTE ").stream().distinct().count() == TASKS,
                    TASKS + " completion exchanges in the route", CHILD_TIMEOUT);
            killedAt = System.nanoTime();
            assertThat(child.kill()).as("exit code of a JVM killed by SIGKILL").isEqualTo(137);
            assertThat(child.lines("SUBMIT FAILED")).isEmpty();
        }
        Set<String> submitted = submittedTaskIds();
        assertThat(submitted).hasSize(TASKS);
        int infoCallsBefore = ClusterApi.infoCalls(api);
        api.resetMappings();
        ClusterApi.stubInfoSuccess(api);

        Completions completions = new Completions();
        HikariDataSource pool = Databases.pool(jdbcUrl(database), 8);
        // H2: the file is this JVM's now that the child is dead; read the leases it left through the next node's pool
        List<Databases.Lease> leases = Databases.leases(pool, prefix);
        assertThat(leases).hasSize(TASKS).allSatisfy(lease -> {
            assertThat(lease.state()).isEqualTo("FINAL");
            assertThat(lease.owner()).isEqualTo("child");
        });
        Map<String, Instant> leaseEnds = leases.stream().collect(Collectors.toMap(Databases.Lease::taskId, Databases.Lease::dueAt));
        long restarted = System.nanoTime();
        try (Node next = Node.builder("next-node", pool, prefix, api.baseUrl()).leaseDuration(LEASE)
                .tasksConsumer(completions).start()) {
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(completions.tasks()).as("tasks completed").isEqualTo(TASKS));
            long completed = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).until(() -> Databases.storedTasks(pool, prefix) == 0);
            Thread.sleep(500);

            assertThat(completions.perTask().keySet()).isEqualTo(submitted);
            assertThat(completions.perTask()).allSatisfy((taskId, count) -> assertThat(count)
                    .as("completions of %s", taskId).isEqualTo(1L));
            assertThat(completions.all()).noneMatch(Completions.Completion::failed)
                    .allSatisfy(completion -> assertThat(completion.at()).as("delivery of %s", completion.taskId())
                            .isAfterOrEqualTo(leaseEnds.get(completion.taskId())));
            assertThat(ClusterApi.generateCalls(api)).as("generate calls, in all").isEqualTo(TASKS);
            assertThat(ClusterApi.infoCalls(api)).as("info calls, in all").isEqualTo(infoCallsBefore);
            long redelivered = completions.all().stream().filter(Completions.Completion::redelivered).count();
            LOG.info("{}: {} completion exchanges in the route when the child JVM was killed ({} ms after its start,"
                     + " {} info calls); the next node delivered them all again {} ms after it started, {} marked"
                     + " redelivered", database, TASKS, millis(killedAt - started), infoCallsBefore,
                    millis(completed - restarted), redelivered);
        }
    }

    private ChildJvm startChild(String name, Database database, String prefix, String consumer) throws Exception {
        return ChildJvm.start(name, ChildNode.class, dir.resolve(name + ".log"),
                "jdbcUrl=" + jdbcUrl(database), "prefix=" + prefix, "api=" + api.baseUrl(), "node=child",
                "lease=" + LEASE.toMillis(), "tasks=" + TASKS, "consumer=" + consumer,
                "lifetime=" + CHILD_TIMEOUT.plusSeconds(15).toSeconds());
    }

    /** The ids of the tasks the generate calls WireMock answered created. */
    private static Set<String> submittedTaskIds() throws Exception {
        Set<String> ids = new java.util.HashSet<>();
        for (ServeEvent event : api.getAllServeEvents()) {
            if (event.getRequest().getUrl().startsWith(ClusterApi.GENERATE_PATH)) {
                ids.add(ClusterApi.JSON.readTree(event.getResponse().getBodyAsString()).path("data").path("taskId")
                        .asText());
            }
        }
        return ids;
    }

    private static long millis(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }
}
