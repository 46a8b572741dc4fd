package io.github.gptimage.camel.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.gptimage.camel.task.TaskState;
import io.github.gptimage.camel.task.jdbc.JdbcTaskStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The databases of the cluster tests: an embedded PostgreSQL server (binaries from Maven artifacts) per test class,
 * connection pools on it or on an H2 file, and what the tests read from the task table. Each test uses tables of its
 * own (a table prefix of its own), so that the tests of a class share one server.
 */
final class Databases {

    static final String PG_USER = "postgres";
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private Databases() {
    }

    static EmbeddedPostgres startPostgres() {
        try {
            return EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String jdbcUrl(EmbeddedPostgres server) {
        return server.getJdbcUrl(PG_USER, "postgres");
    }

    /** The JDBC URL of PostgreSQL on the loopback address, at {@code port} (a proxy in front of the server). */
    static String postgresUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=" + PG_USER;
    }

    /** An H2 database in file mode, as a single-node application keeps its tasks. */
    static String h2FileUrl(java.nio.file.Path directory) {
        return "jdbc:h2:file:" + directory.resolve("tasks").toAbsolutePath();
    }

    /** A table prefix no other test of the run uses. */
    static String newPrefix(String name) {
        return name + "_" + PREFIXES.incrementAndGet() + "_";
    }

    /**
     * A pool as an application would configure it, failing fast when the database is unreachable (a second to connect,
     * rather than Hikari's 30 s), so that an outage shows up within a poll or two.
     */
    static HikariDataSource pool(String jdbcUrl, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            config.setUsername(PG_USER);
        }
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(1000);
        config.setValidationTimeout(500);
        // a pool that starts while the database is away starts anyway and connects later
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    /** How many tasks the store with {@code prefix} holds, pending and final. */
    static int storedTasks(DataSource dataSource, String prefix) {
        JdbcTaskStore store = JdbcTaskStore.builder(dataSource).tablePrefix(prefix).build();
        return store.count(TaskState.PENDING) + store.count(TaskState.FINAL);
    }

    static int count(DataSource dataSource, String prefix, TaskState state) {
        return JdbcTaskStore.builder(dataSource).tablePrefix(prefix).build().count(state);
    }

    /** A row of the task table: who leases it and until when. */
    record Lease(String taskId, String state, String owner, Instant dueAt) {
    }

    static List<Lease> leases(DataSource dataSource, String prefix) throws SQLException {
        List<Lease> leases = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT task_id, state, lease_owner, due_at FROM " + prefix + "task ORDER BY task_id");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                leases.add(new Lease(rows.getString(1), rows.getString(2), rows.getString(3),
                                     rows.getObject(4, java.time.OffsetDateTime.class).toInstant()));
            }
        }
        return leases;
    }

    /** Waits at most {@code timeout} for a pool's first connection, so that a test starts on a database that answers. */
    static void awaitConnection(DataSource dataSource, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Connection connection = dataSource.getConnection()) {
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The database did not answer within " + timeout, e);
                }
                Thread.sleep(100);
            }
        }
    }
}
