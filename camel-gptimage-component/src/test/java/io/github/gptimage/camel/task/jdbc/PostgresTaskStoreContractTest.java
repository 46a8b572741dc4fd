package io.github.gptimage.camel.task.jdbc;

import java.io.IOException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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

    @Override
    protected DataSource dataSource() {
        return database;
    }

    @Override
    protected JdbcTaskStore.Dialect expectedDialect() {
        return JdbcTaskStore.Dialect.POSTGRESQL;
    }
}
