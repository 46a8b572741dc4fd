package io.github.gptimage.camel.task.jdbc;

import java.nio.file.Path;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** {@link JdbcTaskStore} on H2 in file mode, in a temporary directory, through a connection pool. */
class H2TaskStoreContractTest extends JdbcTaskStoreContractTest {

    @TempDir
    static Path directory;
    private static HikariDataSource database;

    @BeforeAll
    static void openDatabase() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:file:" + directory.resolve("tasks").toAbsolutePath());
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(20);
        database = new HikariDataSource(config);
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @Override
    protected DataSource dataSource() {
        return database;
    }

    @Override
    protected JdbcTaskStore.Dialect expectedDialect() {
        return JdbcTaskStore.Dialect.H2;
    }
}
