package io.github.gptimage.camel.task.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Logger;

import javax.sql.DataSource;

import io.github.gptimage.camel.api.GenerateRequest;
import io.github.gptimage.camel.api.TaskInfo;
import io.github.gptimage.camel.api.TaskStatus;
import io.github.gptimage.camel.task.GptImageTaskStore;
import io.github.gptimage.camel.task.SubmitAttempt;
import io.github.gptimage.camel.task.SubmitAttempt.AttemptState;
import io.github.gptimage.camel.task.TaskState;
import io.github.gptimage.camel.task.TaskStoreContractTest;
import io.github.gptimage.camel.task.TrackedTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link JdbcTaskStore} passes the task store contract on a database a subclass provides, two stores on one database
 * standing for two nodes; and what is particular to it: its schema and table prefix, its tombstones' and attempts'
 * lifetime, and a database outage surfacing as an exception from the call, after which the store works again.
 * <p>
 * Each test has tables of its own (a table prefix of its own), dropped after it.
 */
abstract class JdbcTaskStoreContractTest extends TaskStoreContractTest {

    private static final AtomicInteger TESTS = new AtomicInteger();
    /** Tests of several runs may share one database (GPTIMAGE_TEST_JDBC_URL): the run's tables differ too. */
    private static final String RUN = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);

    private final List<String> prefixes = new ArrayList<>();
    protected String prefix;

    /** The database, shared by the tests of a class. */
    protected abstract DataSource dataSource();

    /** The dialect the store should recognise. */
    protected abstract JdbcTaskStore.Dialect expectedDialect();

    @Override
    protected GptImageTaskStore newStore() {
        prefix = newPrefix();
        return storeOn(dataSource(), prefix);
    }

    @Override
    protected GptImageTaskStore peer() {
        return storeOn(dataSource(), prefix);
    }

    protected String newPrefix() {
        String fresh = "t" + RUN + "_" + TESTS.incrementAndGet() + "_";
        prefixes.add(fresh);
        return fresh;
    }

    protected static JdbcTaskStore storeOn(DataSource dataSource, String prefix) {
        return JdbcTaskStore.builder(dataSource).tablePrefix(prefix).build();
    }

    @AfterEach
    void dropTables() throws SQLException {
        for (String used : prefixes) {
            execute("DROP TABLE IF EXISTS " + used + "task");
            execute("DROP TABLE IF EXISTS " + used + "tombstone");
            execute("DROP TABLE IF EXISTS " + used + "attempt");
            execute("DROP TABLE IF EXISTS " + used + "spend");
            execute("DROP TABLE IF EXISTS " + used + "schema_version");
        }
    }

    protected void execute(String sql, Object... parameters) throws SQLException {
        try (Connection connection = dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] instanceof Instant instant) {
                    TaskRows.setInstant(statement, i + 1, instant);
                } else {
                    statement.setObject(i + 1, parameters[i]);
                }
            }
            statement.execute();
        }
    }

    protected long countRows(String table) throws SQLException {
        try (Connection connection = dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            row.next();
            return row.getLong(1);
        }
    }

    protected boolean tableExists(String table) throws SQLException {
        try (Connection connection = dataSource().getConnection();
             ResultSet tables = connection.getMetaData().getTables(null, null, null, new String[] { "TABLE" })) {
            while (tables.next()) {
                if (tables.getString("TABLE_NAME").equalsIgnoreCase(table)) {
                    return true;
                }
            }
            return false;
        }
    }

    // ---- schema

    @Test
    void theStoreRecognisesItsDatabaseAndInstallsEverySchemaVersion() throws SQLException {
        JdbcTaskStore jdbc = (JdbcTaskStore) store;
        jdbc.initialize();

        assertThat(jdbc.toString()).contains(expectedDialect().name(), prefix);
        assertThat(tableExists(prefix + "task")).isTrue();
        assertThat(tableExists(prefix + "tombstone")).isTrue();
        assertThat(tableExists(prefix + "attempt")).isTrue();
        assertThat(tableExists(prefix + "spend")).isTrue();
        assertThat(countRows(prefix + "schema_version")).isEqualTo(JdbcTaskStore.SCHEMA_VERSION).isEqualTo(2);
        assertThat(jdbc.schemaScript(expectedDialect())).isNotEmpty()
                .allSatisfy(statement -> assertThat(statement).doesNotContain("${prefix}", ";"));
    }

    @Test
    void storesWithOtherPrefixesKeepOtherTasks() {
        store.add(pending("t1", now));
        GptImageTaskStore other = storeOn(dataSource(), newPrefix());

        assertThat(other.find("t1")).isEmpty();
        assertThat(other.count(TaskState.PENDING)).isZero();
        other.add(pending("t1", now.plusSeconds(5)));
        assertThat(store.find("t1")).contains(pending("t1", now));
    }

    @Test
    void withoutCreateSchemaTheStoreCreatesNothingAndFailsUntilTheSchemaIsThere() throws SQLException {
        String managed = newPrefix();
        JdbcTaskStore unmanaged = JdbcTaskStore.builder(dataSource()).tablePrefix(managed).createSchema(false)
                .build();

        assertThat(unmanaged.createsSchema()).isFalse();
        assertThatThrownBy(() -> unmanaged.add(pending("t1", now))).isInstanceOf(JdbcTaskStoreException.class)
                .hasCauseInstanceOf(SQLException.class);
        assertThat(tableExists(managed + "task")).isFalse();

        storeOn(dataSource(), managed).initialize();
        unmanaged.add(pending("t1", now));
        assertThat(unmanaged.find("t1")).contains(pending("t1", now));
    }

    @Test
    void aSchemaNewerThanTheStoreIsRefused() throws SQLException {
        ((JdbcTaskStore) store).initialize();
        execute("INSERT INTO " + prefix + "schema_version (version, installed_at) VALUES (3, ?)", now);

        assertThatThrownBy(() -> storeOn(dataSource(), prefix).initialize())
                .isInstanceOf(JdbcTaskStoreException.class).hasMessageContaining("schema version 3");
    }

    @Test
    void aVersion1SchemaIsUpgradedAndItsTasksKept() throws SQLException {
        String old = newPrefix();
        JdbcTaskStore store = storeOn(dataSource(), old);
        for (String statement : store.schemaScript(expectedDialect(), 1)) {
            execute(statement);
        }
        execute("INSERT INTO " + old + "task (task_id, account, submitted_at, correlation_headers, initial_delay_ms,"
                + " max_interval_ms, safety_net, request_timeout_ms, connect_timeout_ms, state, due_at, poll_count,"
                + " deliveries, version) VALUES ('v1-task', 'default', ?, '{}', 1000, 30000, FALSE, 60000, 10000,"
                + " 'PENDING', ?, 0, 0, 0)", now, now);
        assertThat(tableExists(old + "spend")).isFalse();

        store.initialize();

        assertThat(countRows(old + "schema_version")).isEqualTo(2);
        TrackedTask kept = store.find("v1-task").orElseThrow();
        assertThat(kept.credits()).as("a task of version 1 costs nothing known").isZero();
        assertThat(kept.dueAt()).isEqualTo(now);
        store.add(pending("v2-task", now));
        assertThat(store.find("v2-task").orElseThrow().credits()).isEqualTo(10);
        assertThat(store.chargeCredits("default", now, now.plusSeconds(60), 10, 10).charged()).isTrue();
    }

    @Test
    void storesStartingTogetherCreateTheSchemaOnce() throws Exception {
        String shared = newPrefix();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> starts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                starts.add(threads.submit(() -> storeOn(dataSource(), shared).initialize()));
            }
            for (Future<?> start : starts) {
                start.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(countRows(shared + "schema_version")).isEqualTo(JdbcTaskStore.SCHEMA_VERSION);
    }

    @Test
    void aTablePrefixIsAPlainIdentifier() {
        for (String bad : new String[] { "", "1x_", "a-b", "x; DROP TABLE y; --", "a.b", "a".repeat(41) }) {
            assertThatThrownBy(() -> JdbcTaskStore.builder(dataSource()).tablePrefix(bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(new JdbcTaskStore(dataSource()).tablePrefix()).isEqualTo(JdbcTaskStore.DEFAULT_TABLE_PREFIX);
    }

    @Test
    void theStoreHasNoBound() {
        assertThat(store.isFull()).isFalse();
    }

    @Test
    void aPoolWithoutAutoCommitGetsEveryWriteCommitted() {
        GptImageTaskStore manual = storeOn(Connections.withoutAutoCommit(dataSource()), prefix);

        manual.add(pending("t1", now));
        TrackedTask claimed = manual.claimDue(TaskState.PENDING, now, 10, now.plusSeconds(30), NODE).get(0);
        TrackedTask polled = manual.update(claimed, claimed.polled(now.plusSeconds(1), 0.5, now)).orElseThrow();
        manual.add(finalTask("t2", now.minusSeconds(5), now));
        manual.remove(manual.find("t2").orElseThrow());
        manual.add(finalTask("t3", now.minusSeconds(5), now));
        manual.purgeFinal(now);
        SubmitAttempt accepted = attempt("default", "k1", "tok-1");
        assertThat(manual.recordAttempt(accepted)).isEmpty();
        assertThat(manual.recordAttempt(attempt("default", "k1", "tok-9"))).contains(accepted);
        manual.add(accepted.template().withTaskId("t4"));
        manual.recordAttempt(attempt("default", "k2", "tok-2"));
        manual.markInDoubt("default", "k2");
        manual.recordAttempt(attempt("default", "k3", "tok-3"));
        manual.forgetAttempt("default", "k3");

        assertThat(store.find("t1")).contains(polled);
        assertThat(store.find("t2")).isEmpty();
        assertThat(store.removedToken("t2")).contains("token-t2");
        assertThat(store.find("t3")).isEmpty();
        assertThat(store.removedToken("t3")).contains("token-t3");
        assertThat(store.find("t4")).isPresent();
        assertThat(store.findAttempt("default", "k1")).contains(accepted.accepted("t4"));
        assertThat(store.findAttempt("default", "k2")).map(SubmitAttempt::state).contains(AttemptState.IN_DOUBT);
        assertThat(store.findAttempt("default", "k3")).isEmpty();
    }

    // ---- tombstones

    @Test
    void tombstonesOlderThanTheirLifetimeAreIgnoredAndPurged() throws SQLException {
        store.add(pending("recent", now));
        store.remove(store.find("recent").orElseThrow());
        Instant old = now.minus(JdbcTaskStore.TOMBSTONE_LIFETIME).minus(Duration.ofHours(1));
        execute("INSERT INTO " + prefix + "tombstone (task_id, callback_token, removed_at) VALUES (?, ?, ?)", "old",
                "token-old", old);

        assertThat(store.removedToken("old")).isEmpty();
        assertThat(store.purgeFinal(now)).isEmpty();

        assertThat(countRows(prefix + "tombstone")).isEqualTo(1);
        assertThat(store.removedToken("recent")).contains("token-recent");
    }

    @Test
    void aTaskRemovedTwiceUnderOneIdKeepsTheLatestTombstone() {
        store.add(pending("t1", now));
        store.remove(store.find("t1").orElseThrow());
        store.add(pending("t1", now).withVersion(0));

        assertThat(store.remove(store.find("t1").orElseThrow())).as("a second tombstone replaces the first").isTrue();
        assertThat(store.removedToken("t1")).contains("token-t1");
    }

    @Test
    void anExpiredTombstoneOfATaskIdPurgedNowIsReplaced() throws SQLException {
        store.add(pending("t1", now));
        store.remove(store.find("t1").orElseThrow());
        Instant old = now.minus(JdbcTaskStore.TOMBSTONE_LIFETIME).minus(Duration.ofHours(1));
        execute("UPDATE " + prefix + "tombstone SET removed_at = ? WHERE task_id = ?", old, "t1");
        store.add(finalTask("t1", now.minusSeconds(10), now).withVersion(0));

        assertThat(store.purgeFinal(now)).extracting(TrackedTask::taskId).containsExactly("t1");

        assertThat(store.removedToken("t1")).contains("token-t1");
        assertThat(countRows(prefix + "tombstone")).isEqualTo(1);
    }

    // ---- attempts

    @Test
    void attemptsAreKeptWhileTheirTaskOrItsTombstoneIsAndThenPurged() throws SQLException {
        Instant longAgo = now.minus(JdbcTaskStore.TOMBSTONE_LIFETIME).minus(Duration.ofHours(1));
        Instant old = longAgo.plusSeconds(60);
        record("sending-recent", now, null);
        record("sending-old", longAgo, null);
        record("in-doubt-old", longAgo, null);
        store.markInDoubt("default", "in-doubt-old");
        record("accepted-task-held", longAgo, "task-held");
        record("accepted-tombstone-recent", longAgo, "task-removed");
        store.remove(store.find("task-removed").orElseThrow());
        record("accepted-tombstone-old", longAgo, "task-removed-long-ago");
        store.remove(store.find("task-removed-long-ago").orElseThrow());
        execute("UPDATE " + prefix + "tombstone SET removed_at = ? WHERE task_id = ?", old, "task-removed-long-ago");
        SubmitAttempt noToken = new SubmitAttempt("default", "accepted-no-tombstone", longAgo, AttemptState.SENDING,
                null, TrackedTask.accepted(null, "default", longAgo, GenerateRequest.builder().build(), null, null,
                        SCHEDULE, "accepted-no-tombstone"));
        store.recordAttempt(noToken);
        store.add(noToken.template().withTaskId("task-without-token"));
        store.remove(store.find("task-without-token").orElseThrow());
        record("accepted-purged-now", longAgo, "task-purged-now");
        TrackedTask purgedNow = store.find("task-purged-now").orElseThrow();
        store.update(purgedNow, purgedNow.finished(new TaskInfo("task-purged-now",
                TaskStatus.SUCCESS, 1.0, List.of(), null, null, null, null, null),
                old, now, null, true));

        assertThat(store.purgeFinal(now.minusSeconds(60))).extracting(TrackedTask::taskId)
                .containsExactly("task-purged-now");

        assertThat(attemptKeys()).containsExactlyInAnyOrder("sending-recent", "accepted-task-held",
                "accepted-tombstone-recent", "accepted-purged-now");
        assertThat(store.recordAttempt(attempt("default", "sending-old", "tok-again"))).as("a key purged sends again")
                .isEmpty();
        assertThat(store.findAttemptByToken("tok-accepted-tombstone-old")).isEmpty();
        assertThat(store.findAttempt("default", "accepted-task-held")).map(SubmitAttempt::taskId).contains("task-held");
    }

    @Test
    void aSubmitMeetingAnUncommittedAttemptWithItsKeyWaitsAndGetsItOnceCommitted() throws Exception {
        SubmitAttempt first = attempt("default", "k1", "tok-1");

        assertThat(againstUncommitted(first, Connection::commit)).contains(first);
        assertThat(store.findAttempt("default", "k1")).contains(first);
    }

    @Test
    void aSubmitMeetingAnUncommittedAttemptWithItsKeySendsOnceItIsRolledBack() throws Exception {
        SubmitAttempt second = attempt("default", "k1", "tok-2");

        assertThat(againstUncommitted(attempt("default", "k1", "tok-1"), Connection::rollback)).isEmpty();
        assertThat(store.findAttempt("default", "k1")).contains(second);
    }

    /**
     * Records {@code first} in a transaction left open while another node records an attempt with its key
     * ({@code "tok-2"}), then ends that transaction with {@code end}.
     *
     * @return what the other node's recordAttempt returned
     */
    private Optional<SubmitAttempt> againstUncommitted(SubmitAttempt first, SqlConsumer<Connection> end)
            throws Exception {
        // started before: creating the schema would wait for the transaction too
        JdbcTaskStore otherNode = storeOn(dataSource(), prefix);
        otherNode.initialize();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (Connection transaction = dataSource().getConnection()) {
            transaction.setAutoCommit(false);
            try (PreparedStatement insert = transaction.prepareStatement("INSERT INTO " + prefix + "attempt ("
                    + String.join(", ", TaskRows.ATTEMPT_COLUMNS) + ") VALUES (?, ?, ?, ?, ?, ?, "
                    + (expectedDialect() == JdbcTaskStore.Dialect.POSTGRESQL ? "CAST(? AS JSONB)" : "?") + ")")) {
                TaskRows.bindAttempt(insert, 1, first);
                insert.executeUpdate();
            }
            Future<Optional<SubmitAttempt>> second = thread.submit(
                    () -> otherNode.recordAttempt(attempt("default", "k1", "tok-2")));
            Thread.sleep(500);
            assertThat(second).as("waits for the transaction holding the key").isNotDone();
            end.accept(transaction);
            return second.get(30, TimeUnit.SECONDS);
        } finally {
            thread.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface SqlConsumer<T> {
        void accept(T value) throws SQLException;
    }

    /** Records an attempt started at {@code startedAt}, and adds its task as {@code taskId} unless null. */
    private void record(String key, Instant startedAt, String taskId) {
        SubmitAttempt sent = attempt("default", key, "tok-" + key);
        sent = new SubmitAttempt(sent.account(), key, startedAt, sent.state(), null, sent.template());
        assertThat(store.recordAttempt(sent)).isEmpty();
        if (taskId != null) {
            store.add(sent.template().withTaskId(taskId));
        }
    }

    private List<String> attemptKeys() throws SQLException {
        List<String> keys = new ArrayList<>();
        try (Connection connection = dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT idempotency_key FROM " + prefix + "attempt")) {
            while (rows.next()) {
                keys.add(rows.getString(1));
            }
        }
        return keys;
    }

    // ---- outages

    @Test
    void aDatabaseOutageFailsEveryCallAndTheStoreWorksWhenItIsBack() {
        Outage outage = new Outage(dataSource());
        GptImageTaskStore flaky = storeOn(outage, prefix);
        flaky.add(pending("t1", now));
        TrackedTask stored = flaky.find("t1").orElseThrow();

        outage.down = true;
        List<Consumer<GptImageTaskStore>> calls = List.of(
                s -> s.add(pending("t2", now)),
                s -> s.find("t1"),
                s -> s.claimDue(TaskState.PENDING, now, 10, now.plusSeconds(30), NODE),
                s -> s.update(stored, stored.dueAt(now.plusSeconds(1))),
                s -> s.remove(stored),
                s -> s.removedToken("t1"),
                s -> s.nextDue(TaskState.PENDING),
                s -> s.purgeFinal(now),
                s -> s.count(TaskState.PENDING),
                s -> s.recordAttempt(attempt("default", "k1", "tok-1")),
                s -> s.findAttempt("default", "k1"),
                s -> s.findAttemptByToken("tok-1"),
                s -> s.markInDoubt("default", "k1"),
                s -> s.forgetAttempt("default", "k1"));
        for (Consumer<GptImageTaskStore> call : calls) {
            assertThatThrownBy(() -> call.accept(flaky)).isInstanceOf(JdbcTaskStoreException.class)
                    .hasRootCauseMessage("the database is down");
        }

        outage.down = false;
        assertThat(flaky.find("t1")).contains(stored);
        assertThat(flaky.claimDue(TaskState.PENDING, now, 10, now.plusSeconds(30), NODE)).hasSize(1);
    }

    @Test
    void aStoreFirstUsedDuringAnOutageStartsWhenTheDatabaseIsBack() {
        Outage outage = new Outage(dataSource());
        outage.down = true;
        JdbcTaskStore starting = storeOn(outage, newPrefix());

        assertThatThrownBy(starting::initialize).isInstanceOf(JdbcTaskStoreException.class);
        assertThatThrownBy(() -> starting.count(TaskState.PENDING)).isInstanceOf(JdbcTaskStoreException.class);

        outage.down = false;
        starting.add(pending("t1", now));
        assertThat(starting.count(TaskState.PENDING)).isEqualTo(1);
    }

    /** A data source that refuses connections while the database is {@code down}. */
    static final class Outage implements DataSource {
        private final DataSource database;
        volatile boolean down;

        Outage(DataSource database) {
            this.database = database;
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (down) {
                throw new SQLException("the database is down", "08001");
            }
            return database.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
