package io.github.gptimage.camel.cluster;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A cluster test class on an embedded PostgreSQL server of its own, started before its tests and stopped after them;
 * its tests keep apart by table prefixes ({@link Databases#newPrefix}).
 */
abstract class PostgresClusterTest {

    static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = Databases.startPostgres();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }
}
