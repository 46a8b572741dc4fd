package io.github.gptimage.camel.task.jdbc;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.gptimage.camel.task.SubmitAttempt;
import io.github.gptimage.camel.task.TaskState;
import io.github.gptimage.camel.task.TrackedTask;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JdbcTaskStore} on PostgreSQL, through a connection pool: an embedded PostgreSQL server (binaries from Maven
 * artifacts) started for the class, or the server of {@code GPTIMAGE_TEST_JDBC_URL} (with
 * {@code GPTIMAGE_TEST_JDBC_USER} and {@code GPTIMAGE_TEST_JDBC_PASSWORD}) when that is set.
 */
class PostgresTaskStoreContractTest extends JdbcTaskStoreContractTest {

    private static EmbeddedPostgres server;
    private static HikariDataSource database;

    @BeforeAll
    static void startDatabase() throws IOException {
        HikariConfig config = new HikariConfig();
        String url = System.getenv("GPTIMAGE_TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            config.setJdbcUrl(url);
            config.setUsername(System.getenv("GPTIMAGE_TEST_JDBC_USER"));
            config.setPassword(System.getenv("GPTIMAGE_TEST_JDBC_PASSWORD"));
        } else {
            server = EmbeddedPostgres.builder().start();
            config.setJdbcUrl(server.getJdbcUrl("postgres", "postgres"));
            config.setUsername("postgres");
        }
        config.setMaximumPoolSize(20);
        database = new HikariDataSource(config);
    }

    @AfterAll
    static void stopDatabase() throws IOException {
        if (database != null) {
            database.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyCallIsOneRoundTrip() {
        Connections.RoundTrips trips = new Connections.RoundTrips(dataSource());
        JdbcTaskStore counted = storeOn(trips.dataSource, prefix);
        counted.initialize();
        AtomicReference<TrackedTask> task = new AtomicReference<>();
        for (int i = 0; i < 3; i++) {
            counted.add(finalTask("final-" + i, now.minusSeconds(60), now));
        }

        assertThat(trips.of(() -> counted.add(pending("t1", now)))).as("add").isEqualTo(1);
        assertThat(trips.of(() -> counted.add(pending("t1", now)))).as("add of a task held").isEqualTo(1);
        assertThat(trips.of(() -> task.set(counted.find("t1").orElseThrow()))).as("find").isEqualTo(1);
        assertThat(trips.of(() -> counted.claimDue(TaskState.PENDING, now, 10, now.plusSeconds(30), NODE)))
                .as("claimDue").isEqualTo(1);
        assertThat(trips.of(() -> task.set(counted.find("t1").orElseThrow()))).as("find").isEqualTo(1);
        assertThat(trips.of(() -> task.set(counted.update(task.get(), task.get().dueAt(now)).orElseThrow())))
                .as("update").isEqualTo(1);
        assertThat(trips.of(() -> counted.nextDue(TaskState.PENDING))).as("nextDue").isEqualTo(1);
        assertThat(trips.of(() -> counted.count(TaskState.PENDING))).as("count").isEqualTo(1);
        assertThat(trips.of(() -> counted.remove(task.get()))).as("remove").isEqualTo(1);
        assertThat(trips.of(() -> counted.removedToken("t1"))).as("removedToken").isEqualTo(1);
        AtomicReference<List<TrackedTask>> purged = new AtomicReference<>();
        assertThat(trips.of(() -> purged.set(counted.purgeFinal(now)))).as("purgeFinal").isEqualTo(1);
        assertThat(purged.get()).hasSize(3);
        assertThat(counted.removedToken("t1")).contains("token-t1");

        SubmitAttempt sent = attempt("default", "k1", "tok-1");
        assertThat(trips.of(() -> assertThat(counted.recordAttempt(sent)).isEmpty())).as("recordAttempt")
                .isEqualTo(1);
        assertThat(trips.of(() -> assertThat(counted.recordAttempt(attempt("default", "k1", "tok-2"))).isPresent()))
                .as("recordAttempt of a key held").isEqualTo(1);
        assertThat(trips.of(() -> counted.findAttempt("default", "k1"))).as("findAttempt").isEqualTo(1);
        assertThat(trips.of(() -> counted.findAttemptByToken("tok-1"))).as("findAttemptByToken").isEqualTo(1);
        assertThat(trips.of(() -> counted.markInDoubt("default", "k1"))).as("markInDoubt").isEqualTo(1);
        assertThat(trips.of(() -> counted.add(sent.template().withTaskId("t2")))).as("add with a key").isEqualTo(1);
        assertThat(counted.findAttempt("default", "k1")).map(SubmitAttempt::taskId).contains("t2");
        assertThat(trips.of(() -> counted.forgetAttempt("default", "k1"))).as("forgetAttempt").isEqualTo(1);
    }

    @Override
    protected DataSource dataSource() {
        return database;
    }

    @Override
    protected JdbcTaskStore.Dialect expectedDialect() {
        return JdbcTaskStore.Dialect.POSTGRESQL;
    }
}
