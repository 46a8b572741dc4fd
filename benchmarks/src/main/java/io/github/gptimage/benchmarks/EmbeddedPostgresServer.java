package io.github.gptimage.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL server of its own for the pg-store scenario (zonky's embedded PostgreSQL: the binaries come from a
 * Maven artifact, the data directory is temporary), and the CPU time its processes used: the postmaster, its live
 * backends, and the backends that ended (the postmaster's children time), read from {@code /proc} on Linux.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

    static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final long postmasterPid;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, long postmasterPid) {
        this.postgres = postgres;
        this.postmasterPid = postmasterPid;
    }

    /** Starts a server with these settings ({@code postgresql.conf} names) on top of zonky's defaults. */
    static EmbeddedPostgresServer start(Map<String, String> settings) throws IOException, SQLException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60));
        settings.forEach(builder::setServerConfig);
        EmbeddedPostgres postgres = builder.start();
        long pid = -1;
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement show = connection.createStatement();
             ResultSet row = show.executeQuery("SHOW data_directory")) {
            row.next();
            Path pidFile = Path.of(row.getString(1), "postmaster.pid");
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (IOException | RuntimeException e) {
            // no CPU figure for the database, but the benchmark runs
        }
        return new EmbeddedPostgresServer(postgres, pid);
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl(USER, "postgres");
    }

    /** A data source on the server that no store uses: for what the scenario reads from the tables. */
    DataSource reader() {
        return postgres.getPostgresDatabase();
    }

    /** The server's version and the settings that matter for its throughput. */
    Map<String, String> describe() throws SQLException {
        Map<String, String> settings = new LinkedHashMap<>();
        try (Connection connection = reader().getConnection(); Statement show = connection.createStatement()) {
            for (String name : new String[] {"server_version", "synchronous_commit", "fsync", "full_page_writes",
                "autovacuum", "shared_buffers", "max_connections"}) {
                try (ResultSet row = show.executeQuery("SHOW " + name)) {
                    row.next();
                    settings.put(name, row.getString(1));
                }
            }
        }
        return settings;
    }

    /**
     * The CPU time the server's processes used so far, in nanoseconds: the postmaster's own and its ended children's
     * (from its {@code /proc} stat), plus each live backend's; empty where that cannot be read.
     */
    Optional<Long> cpuNanos() {
        if (postmasterPid < 0) {
            return Optional.empty();
        }
        Optional<long[]> postmaster = procTicks(postmasterPid);
        if (postmaster.isEmpty()) {
            return Optional.empty();
        }
        long ticks = postmaster.get()[0] + postmaster.get()[1] + postmaster.get()[2] + postmaster.get()[3];
        Optional<ProcessHandle> handle = ProcessHandle.of(postmasterPid);
        if (handle.isPresent()) {
            ticks += handle.get().descendants().mapToLong(child -> procTicks(child.pid())
                    .map(times -> times[0] + times[1]).orElse(0L)).sum();
        }
        return Optional.of(ticks * 10_000_000L); // USER_HZ is 100
    }

    /** utime, stime, cutime, cstime of a process, in clock ticks. */
    private static Optional<long[]> procTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is the state (field 3 of proc(5)): utime is field 14, so fields[11]
            return Optional.of(new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12]),
                Long.parseLong(fields[13]), Long.parseLong(fields[14])});
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
