package io.github.gptimage.camel.task.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.github.gptimage.camel.task.CreditCharge;
import io.github.gptimage.camel.task.GptImageTaskStore;
import io.github.gptimage.camel.task.SubmitAttempt;
import io.github.gptimage.camel.task.TaskCounts;
import io.github.gptimage.camel.task.TaskState;
import io.github.gptimage.camel.task.TrackedTask;

/**
 * A task store in a relational database, reached through a {@link DataSource}: the tasks survive a restart, and
 * several nodes sharing one PostgreSQL database share the polling and the delivery of their tasks. Plain JDBC; the
 * application brings the driver and, in production, a connection pool.
 *
 * <h2>Databases</h2>
 * <ul>
 * <li><b>PostgreSQL 14 or later</b>, for one node or several.</li>
 * <li><b>H2 2.x</b>, in file mode ({@code jdbc:h2:file:...}), for one node: an H2 file is opened by one JVM. The store
 * sets the database's {@code WRITE_DELAY} to 0 on first use, so that a JVM killed right after a commit loses nothing
 * (H2 otherwise writes commits to the file up to 500 ms later); this needs H2's admin rights.</li>
 * </ul>
 * The database is recognised from {@link DatabaseMetaData#getDatabaseProductName()} on first use (or at
 * {@link #initialize()}); any other database is refused.
 *
 * <h2>Schema</h2>
 * Five tables, named with a prefix ({@link Builder#tablePrefix}, default {@value #DEFAULT_TABLE_PREFIX}) so that
 * several stores can share a database schema:
 * <ul>
 * <li>{@code <prefix>task}: one row per task, a column per {@link TrackedTask} field. The request, the correlation
 * headers and the final answer are JSON columns (jsonb on PostgreSQL) written with Jackson; a correlation header keeps
 * its Java type (String, Boolean, Integer, Long, Double, BigDecimal...). An index on {@code (state, due_at, task_id)}
 * finds due tasks, earliest first, without a scan; another one finds the final tasks to purge. No API key, nor any
 * other credential, is stored: a task names its account. (A task's callback token, which authenticates its callbacks,
 * is stored as the service gives it (a hash): protect the database as you would the callback URLs.)</li>
 * <li>{@code <prefix>tombstone}: the id, callback token and removal time of each removed (or purged) task that had a
 * callback token, kept {@link #TOMBSTONE_LIFETIME 14 days} so that a late or repeated callback can be told from a
 * forged one; older ones are dropped by {@link #purgeFinal}.</li>
 * <li>{@code <prefix>attempt}: one row per submit with an idempotency key ({@link SubmitAttempt}), keyed by account
 * and key: its start, its state ({@code SENDING}, {@code IN_DOUBT}, {@code ACCEPTED}), its task id once accepted, the
 * callback token of its generate (the token as the service gives it: a hash; indexed, for
 * {@link #findAttemptByToken}), and its template, the task as it will be tracked without its id, as JSON (jsonb on
 * PostgreSQL) with the same records as the task table's JSON columns. An accepted attempt is kept while its task is,
 * then as long as the task's tombstone; one sending or in doubt, 14 days after it started: {@link #purgeFinal} drops
 * the others.</li>
 * <li>{@code <prefix>spend}: the credits each account spent per credit-budget window ({@link #chargeCredits}),
 * shared by the nodes; windows that ended more than 14 days ago are dropped by {@link #purgeFinal}.</li>
 * <li>{@code <prefix>schema_version}: the versions of the schema installed (now {@value #SCHEMA_VERSION}).</li>
 * </ul>
 * The schema is created when it is absent, and brought up to date, by the versioned SQL files of the database in this
 * jar, run in order ({@code io/github/gptimage/camel/task/jdbc/schema-postgresql-v1.sql}, then {@code -v2.sql}; or
 * {@code schema-h2-v1.sql} and {@code schema-h2-v2.sql}; {@code ${prefix}} standing for the prefix; every statement
 * idempotent); a store refuses a schema newer than it knows. With {@link Builder#createSchema createSchema(false)} the
 * store touches no DDL: run those files (for instance with your migration tool) beforehand. The prefix is a plain SQL identifier; to put the tables in another database schema, set
 * the connection's default schema ({@code currentSchema} on PostgreSQL, {@code SCHEMA} on H2). Names are not quoted:
 * the database folds their case.
 *
 * <h2>Leases, compare-and-set and several nodes</h2>
 * Every row carries a {@code version}. {@link #update} and {@link #remove} are {@code UPDATE} and {@code DELETE}
 * statements {@code WHERE task_id = ? AND version = ?}: of several nodes or threads changing one task, exactly one
 * matches the row, the others find it changed and get {@code Optional.empty()} or {@code false}, as the
 * {@link GptImageTaskStore} contract asks. {@link #claimDue} hands each due task to one claimer: on PostgreSQL the
 * due rows are locked {@code FOR UPDATE SKIP LOCKED} (so that concurrent claimers on other nodes skip them instead of
 * waiting) and updated in the same statement: their {@code due_at} becomes the end of the lease, {@code lease_owner}
 * the claiming node, {@code version} one more. On H2 the due rows are selected {@code FOR UPDATE SKIP LOCKED} and
 * leased by {@code UPDATE ... WHERE task_id = ? AND version = ?} in one transaction, a row counting as claimed only
 * when that update matched. A node that dies leaves its leases to expire: the tasks are due again at the end of the
 * lease and any node claims them. A task awaited by an exchange on another node ({@link TrackedTask#awaitedOn}) is not
 * claimed by this node until that wait ends. Leases compare instants of the nodes' clocks (every {@code now} comes from
 * the calling node): keep the clocks of the nodes synchronised (NTP), well within a lease.
 * {@link #purgeFinal} drops no final task that is leased ({@code lease_owner} set, {@code due_at} ahead): it is being
 * delivered.
 * <p>
 * {@link #recordAttempt} is an insert unless the account and key are held: the database's primary key decides, so that
 * of several nodes or threads recording one key exactly one inserts and is told to send; the others get the attempt
 * recorded first. A submit meeting an attempt not yet committed waits for that transaction, as the database makes it.
 * {@link #add} of a task with an idempotency key marks its attempt accepted in the same statement (PostgreSQL) or
 * transaction (H2).
 * <p>
 * Statements run at the connection's isolation level: READ COMMITTED, the default of both databases, is what they are
 * written for. They work whether the pool hands out connections in auto-commit mode or not.
 *
 * <h2>Round trips</h2>
 * On PostgreSQL each call is one statement, one round trip: {@link #add} ({@code INSERT ... ON CONFLICT DO NOTHING}),
 * {@link #find}, {@link #claimDue} (one {@code WITH ... FOR UPDATE SKIP LOCKED ... UPDATE ... RETURNING}),
 * {@link #update}, {@link #remove} (the delete and the tombstone in one statement), {@link #removedToken},
 * {@link #nextDue}, {@link #purgeFinal} (tasks, their tombstones, old tombstones, old attempts and old budget
 * windows in one statement),
 * {@link #count}, {@link #recordAttempt} (one {@code WITH ... INSERT ... ON CONFLICT DO NOTHING} that also reads the
 * attempt holding the key; a second statement, a select, only when that attempt was committed while the first ran, so
 * that the first could not see it), {@link #findAttempt}, {@link #findAttemptByToken}, {@link #markInDoubt},
 * {@link #forgetAttempt}, {@link #chargeCredits} (a conditional {@code UPDATE ... RETURNING}; a select and an
 * insert only for a window's first charge or a refusal), {@link #refundCredits}, and {@link #add} of a task with a key
 * (the task inserted and its attempt accepted in one statement). On H2, which runs in the JVM, claiming, removing, purging and adding a task with a key take a few
 * statements, in one transaction; recording an attempt is an insert, followed by a select when the key is held.
 *
 * <h2>Failures</h2>
 * A call that the database fails (unreachable, a statement refused) throws a {@link JdbcTaskStoreException}; no
 * failure is swallowed or retried here: the task service logs the outage once and keeps its tasks, whose leases expire
 * so that they are polled again. The store works again as soon as the database answers; when its first use failed, it detects
 * the database and creates the schema on the next call.
 * <p>
 * The store is unbounded: {@link #isFull()} is always false, the database's size being the bound.
 * <p>
 * Thread-safe.
 */
public class JdbcTaskStore implements GptImageTaskStore {

    /** The prefix of the table and index names unless {@link Builder#tablePrefix} sets another. */
    public static final String DEFAULT_TABLE_PREFIX = "gptimage_";
    /** The version of the schema this store writes and reads. */
    public static final int SCHEMA_VERSION = 2;
    /** How long a removed task's tombstone is kept: the service keeps tasks 14 days, no callback comes later. */
    public static final Duration TOMBSTONE_LIFETIME = Duration.ofDays(14);

    /** A plain identifier, short enough for the longest name built from it (PostgreSQL names have 63 bytes). */
    private static final Pattern TABLE_PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,39}");
    private static final String COLUMNS = String.join(", ", TaskRows.COLUMNS);
    private static final Comparator<TrackedTask> BY_FINAL_AT = Comparator
            .comparing(TrackedTask::finalAt, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(TrackedTask::taskId);

    private static final Object SCHEMA_CREATION = new Object();
    /**
     * How often an insert that conflicted with a row it then could not see tries again: {@link #recordAttempt} when the
     * attempt was forgotten meanwhile, {@link #chargeCredits} when another node opened the budget window meanwhile.
     */
    private static final int CONFLICT_TRIES = 10;

    private final DataSource dataSource;
    private final String tablePrefix;
    private final boolean createSchema;
    private volatile Sql sql;

    /** A store on {@code dataSource} with the default table prefix, creating its schema when absent. */
    public JdbcTaskStore(DataSource dataSource) {
        this(builder(dataSource));
    }

    private JdbcTaskStore(Builder builder) {
        this.dataSource = builder.dataSource;
        this.tablePrefix = builder.tablePrefix;
        this.createSchema = builder.createSchema;
    }

    /** Builds a store on {@code dataSource} with other options than the defaults. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** The prefix of this store's table and index names. */
    public String tablePrefix() {
        return tablePrefix;
    }

    /** Whether this store creates its schema when absent. */
    public boolean createsSchema() {
        return createSchema;
    }

    /**
     * Recognises the database and, unless {@code createSchema(false)}, creates the schema when absent. Done on first
     * use otherwise; call it to fail at start-up rather than at the first task.
     *
     * @throws JdbcTaskStoreException when the database cannot be reached, is not supported, or has a newer schema
     */
    public void initialize() {
        sql();
    }

    // ---- the store

    @Override
    public void add(TrackedTask task) {
        Sql s = sql();
        boolean withKey = task.idempotencyKey() != null;
        if (!withKey || s.dialect == Dialect.POSTGRESQL) {
            // PostgreSQL: the task and its attempt accepted in one statement
            run("add", connection -> {
                insert(s, connection, task, withKey);
                return null;
            });
            return;
        }
        inTransaction("add", connection -> {
            insert(s, connection, task, false);
            accept(s, connection, task);
            return null;
        });
    }

    /**
     * Inserts {@code task} unless a task with its id is held; on PostgreSQL, {@code accepting}, marks its attempt
     * accepted in the same statement.
     */
    private static void insert(Sql s, Connection connection, TrackedTask task, boolean accepting)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(accepting ? s.insertAccepting : s.insert)) {
            insert.setString(1, task.taskId());
            int i = TaskRows.bindValues(insert, 2, task);
            if (accepting) {
                bindAccept(insert, i, task);
            }
            insert.executeUpdate();
        } catch (SQLException e) {
            if (s.dialect == Dialect.POSTGRESQL || !isDuplicateKey(e)) {
                throw e;
            }
            // H2 has no ON CONFLICT: the task already held is kept, as on PostgreSQL
        }
    }

    /** H2: marks the attempt of {@code task} accepted, in the transaction of its insert. */
    private static void accept(Sql s, Connection connection, TrackedTask task) throws SQLException {
        try (PreparedStatement accept = connection.prepareStatement(s.accept)) {
            bindAccept(accept, 1, task);
            accept.executeUpdate();
        }
    }

    private static int bindAccept(PreparedStatement statement, int first, TrackedTask task) throws SQLException {
        statement.setString(first, task.taskId());
        statement.setString(first + 1, task.account());
        statement.setString(first + 2, task.idempotencyKey());
        return first + 3;
    }

    // ---- submit attempts

    @Override
    public Optional<SubmitAttempt> recordAttempt(SubmitAttempt attempt) {
        Objects.requireNonNull(attempt.account(), "account");
        Objects.requireNonNull(attempt.idempotencyKey(), "idempotencyKey");
        Sql s = sql();
        return run("record a submit attempt", connection -> {
            for (int tries = 0; tries < CONFLICT_TRIES; tries++) {
                Recorded recorded = s.dialect == Dialect.POSTGRESQL ? recordPostgres(s, connection, attempt)
                        : recordH2(s, connection, attempt);
                if (recorded.inserted()) {
                    return Optional.empty();
                }
                if (recorded.earlier() != null) {
                    return Optional.of(recorded.earlier());
                }
                // the attempt it conflicted with is not visible to this statement: committed after it began (a
                // statement's snapshot), or forgotten since; a new statement sees which
                Optional<SubmitAttempt> earlier = findAttempt(s, connection, attempt.account(),
                        attempt.idempotencyKey());
                if (earlier.isPresent()) {
                    return earlier;
                }
            }
            throw new SQLException("the attempt kept conflicting with attempts forgotten at once, " + CONFLICT_TRIES
                                   + " times");
        });
    }

    /** What recording an attempt did: inserted it, or found {@code earlier} (null when not visible). */
    private record Recorded(boolean inserted, SubmitAttempt earlier) {
    }

    /** One statement: inserts unless the key is held, else reads the attempt holding it. */
    private static Recorded recordPostgres(Sql s, Connection connection, SubmitAttempt attempt) throws SQLException {
        try (PreparedStatement record = connection.prepareStatement(s.recordAttempt)) {
            int i = TaskRows.bindAttempt(record, 1, attempt);
            record.setString(i++, attempt.account());
            record.setString(i, attempt.idempotencyKey());
            try (ResultSet row = record.executeQuery()) {
                row.next();
                if (row.getInt("inserted") == 1) {
                    return new Recorded(true, null);
                }
                return new Recorded(false, row.getString("template") != null ? TaskRows.readAttempt(row) : null);
            }
        }
    }

    /** An insert, and only when the key is held a select. */
    private static Recorded recordH2(Sql s, Connection connection, SubmitAttempt attempt) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(s.recordAttempt)) {
            TaskRows.bindAttempt(insert, 1, attempt);
            insert.executeUpdate();
            return new Recorded(true, null);
        } catch (SQLException e) {
            if (!isDuplicateKey(e)) {
                throw e;
            }
        }
        return new Recorded(false, findAttempt(s, connection, attempt.account(), attempt.idempotencyKey())
                .orElse(null));
    }

    @Override
    public Optional<SubmitAttempt> findAttempt(String account, String idempotencyKey) {
        Sql s = sql();
        return run("find a submit attempt", connection -> findAttempt(s, connection, account, idempotencyKey));
    }

    private static Optional<SubmitAttempt> findAttempt(Sql s, Connection connection, String account,
                                                       String idempotencyKey) throws SQLException {
        try (PreparedStatement find = connection.prepareStatement(s.findAttempt)) {
            find.setString(1, account);
            find.setString(2, idempotencyKey);
            return readAttempt(find);
        }
    }

    @Override
    public Optional<SubmitAttempt> findAttemptByToken(String callbackToken) {
        if (callbackToken == null) {
            return Optional.empty();
        }
        Sql s = sql();
        return run("find a submit attempt by its callback token", connection -> {
            try (PreparedStatement find = connection.prepareStatement(s.findAttemptByToken)) {
                find.setString(1, callbackToken);
                return readAttempt(find);
            }
        });
    }

    private static Optional<SubmitAttempt> readAttempt(PreparedStatement query) throws SQLException {
        try (ResultSet row = query.executeQuery()) {
            return row.next() ? Optional.of(TaskRows.readAttempt(row)) : Optional.empty();
        }
    }

    @Override
    public void markInDoubt(String account, String idempotencyKey) {
        changeAttempt("mark a submit attempt in doubt", sql().markInDoubt, account, idempotencyKey);
    }

    @Override
    public void forgetAttempt(String account, String idempotencyKey) {
        changeAttempt("forget a submit attempt", sql().forgetAttempt, account, idempotencyKey);
    }

    /** Runs an attempt statement whose parameters are the account and the key. */
    private void changeAttempt(String what, String statement, String account, String idempotencyKey) {
        run(what, connection -> {
            try (PreparedStatement change = connection.prepareStatement(statement)) {
                change.setString(1, account);
                change.setString(2, idempotencyKey);
                return change.executeUpdate();
            }
        });
    }

    // ---- tasks

    @Override
    public Optional<TrackedTask> find(String taskId) {
        Sql s = sql();
        return run("find", connection -> {
            try (PreparedStatement find = connection.prepareStatement(s.find)) {
                find.setString(1, taskId);
                try (ResultSet row = find.executeQuery()) {
                    return row.next() ? Optional.of(TaskRows.read(row)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<TrackedTask> claimDue(TaskState state, Instant now, int limit, Instant leaseUntil, String owner) {
        Objects.requireNonNull(owner, "owner");
        if (limit < 1) {
            return List.of();
        }
        Sql s = sql();
        if (s.dialect == Dialect.POSTGRESQL) {
            return run("claim due tasks", connection -> {
                try (PreparedStatement claim = connection.prepareStatement(s.claim)) {
                    int i = bindDue(claim, 1, state, now, owner);
                    claim.setInt(i++, limit);
                    TaskRows.setInstant(claim, i++, leaseUntil);
                    claim.setString(i, owner);
                    return readAll(claim);
                }
            });
        }
        return inTransaction("claim due tasks", connection -> {
            List<TrackedTask> candidates;
            try (PreparedStatement select = connection.prepareStatement(s.claim)) {
                int i = bindDue(select, 1, state, now, owner);
                select.setInt(i, limit);
                candidates = readAll(select);
            }
            if (candidates.isEmpty()) {
                return candidates;
            }
            try (PreparedStatement lease = connection.prepareStatement(s.lease)) {
                for (TrackedTask candidate : candidates) {
                    TaskRows.setInstant(lease, 1, leaseUntil);
                    lease.setString(2, owner);
                    lease.setString(3, candidate.taskId());
                    lease.setLong(4, candidate.version());
                    lease.addBatch();
                }
                int[] leased = lease.executeBatch();
                List<TrackedTask> claimed = new ArrayList<>(candidates.size());
                for (int i = 0; i < leased.length; i++) {
                    if (leased[i] == 1) {
                        TrackedTask candidate = candidates.get(i);
                        claimed.add(candidate.leased(leaseUntil, owner).withVersion(candidate.version() + 1));
                    }
                }
                return claimed;
            }
        });
    }

    /** Binds the due-task condition: state, now, and the owner and now of the awaited-elsewhere test. */
    private static int bindDue(PreparedStatement statement, int first, TaskState state, Instant now, String owner)
            throws SQLException {
        statement.setString(first, state.name());
        TaskRows.setInstant(statement, first + 1, now);
        statement.setString(first + 2, owner);
        TaskRows.setInstant(statement, first + 3, now);
        return first + 4;
    }

    @Override
    public Optional<TrackedTask> update(TrackedTask current, TrackedTask next) {
        if (!current.taskId().equals(next.taskId())) {
            throw new IllegalArgumentException(
                    "update replaces task " + current.taskId() + " by another task, " + next.taskId());
        }
        Sql s = sql();
        return run("update a task", connection -> {
            try (PreparedStatement update = connection.prepareStatement(s.update)) {
                int i = TaskRows.bindValues(update, 1, next);
                update.setString(i++, current.taskId());
                update.setLong(i, current.version());
                return update.executeUpdate() == 1
                        ? Optional.of(next.withVersion(current.version() + 1)) : Optional.empty();
            }
        });
    }

    @Override
    public boolean remove(TrackedTask current) {
        Sql s = sql();
        Instant now = Instant.now();
        if (s.dialect == Dialect.POSTGRESQL) {
            return run("remove a task", connection -> {
                try (PreparedStatement remove = connection.prepareStatement(s.remove)) {
                    remove.setString(1, current.taskId());
                    remove.setLong(2, current.version());
                    TaskRows.setInstant(remove, 3, now);
                    try (ResultSet removed = remove.executeQuery()) {
                        return removed.next() && removed.getInt(1) == 1;
                    }
                }
            });
        }
        return inTransaction("remove a task", connection -> {
            try (PreparedStatement delete = connection.prepareStatement(s.remove)) {
                delete.setString(1, current.taskId());
                delete.setLong(2, current.version());
                if (delete.executeUpdate() != 1) {
                    return false;
                }
            }
            // the row deleted was current's version, so current's token is the stored one
            if (current.callbackToken() != null) {
                try (PreparedStatement tombstone = connection.prepareStatement(s.tombstone)) {
                    tombstone.setString(1, current.taskId());
                    tombstone.setString(2, current.callbackToken());
                    TaskRows.setInstant(tombstone, 3, now);
                    tombstone.executeUpdate();
                }
            }
            return true;
        });
    }

    @Override
    public Optional<String> removedToken(String taskId) {
        Sql s = sql();
        return run("read a tombstone", connection -> {
            try (PreparedStatement find = connection.prepareStatement(s.removedToken)) {
                find.setString(1, taskId);
                TaskRows.setInstant(find, 2, Instant.now().minus(TOMBSTONE_LIFETIME));
                try (ResultSet row = find.executeQuery()) {
                    return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<Instant> nextDue(TaskState state) {
        Sql s = sql();
        return run("find the next due time", connection -> {
            try (PreparedStatement next = connection.prepareStatement(s.nextDue)) {
                next.setString(1, state.name());
                try (ResultSet row = next.executeQuery()) {
                    return row.next() ? Optional.ofNullable(TaskRows.instant(row, "next_due")) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<TrackedTask> purgeFinal(Instant finalBefore) {
        Sql s = sql();
        Instant now = Instant.now();
        Instant lifetimeAgo = now.minus(TOMBSTONE_LIFETIME);
        List<TrackedTask> purged;
        if (s.dialect == Dialect.POSTGRESQL) {
            purged = run("purge final tasks", connection -> {
                try (PreparedStatement purge = connection.prepareStatement(s.purge)) {
                    TaskRows.setInstant(purge, 1, finalBefore);
                    TaskRows.setInstant(purge, 2, now);
                    TaskRows.setInstant(purge, 3, lifetimeAgo);
                    TaskRows.setInstant(purge, 4, now);
                    TaskRows.setInstant(purge, 5, lifetimeAgo);
                    TaskRows.setInstant(purge, 6, lifetimeAgo);
                    TaskRows.setInstant(purge, 7, lifetimeAgo);
                    return readAll(purge);
                }
            });
        } else {
            purged = inTransaction("purge final tasks", connection -> {
                List<TrackedTask> dropped;
                try (PreparedStatement purge = connection.prepareStatement(s.purge)) {
                    TaskRows.setInstant(purge, 1, finalBefore);
                    TaskRows.setInstant(purge, 2, now);
                    dropped = readAll(purge);
                }
                try (PreparedStatement tombstones = connection.prepareStatement(s.purgeTombstones)) {
                    TaskRows.setInstant(tombstones, 1, lifetimeAgo);
                    tombstones.executeUpdate();
                }
                if (dropped.stream().anyMatch(task -> task.callbackToken() != null)) {
                    try (PreparedStatement tombstone = connection.prepareStatement(s.tombstone)) {
                        for (TrackedTask task : dropped) {
                            if (task.callbackToken() != null) {
                                tombstone.setString(1, task.taskId());
                                tombstone.setString(2, task.callbackToken());
                                TaskRows.setInstant(tombstone, 3, now);
                                tombstone.addBatch();
                            }
                        }
                        tombstone.executeBatch();
                    }
                }
                try (PreparedStatement attempts = connection.prepareStatement(s.purgeAttempts)) {
                    TaskRows.setInstant(attempts, 1, lifetimeAgo);
                    TaskRows.setInstant(attempts, 2, lifetimeAgo);
                    attempts.executeUpdate();
                }
                try (PreparedStatement windows = connection.prepareStatement(s.purgeSpend)) {
                    TaskRows.setInstant(windows, 1, lifetimeAgo);
                    windows.executeUpdate();
                }
                return dropped;
            });
        }
        purged.sort(BY_FINAL_AT);
        return purged;
    }

    @Override
    public int count(TaskState state) {
        Sql s = sql();
        return run("count tasks", connection -> {
            try (PreparedStatement count = connection.prepareStatement(s.count)) {
                count.setString(1, state.name());
                try (ResultSet row = count.executeQuery()) {
                    row.next();
                    return row.getInt(1);
                }
            }
        });
    }

    @Override
    public Map<String, TaskCounts> countByAccount(TaskState state) {
        Sql s = sql();
        return run("count tasks by account", connection -> {
            try (PreparedStatement count = connection.prepareStatement(s.countByAccount)) {
                count.setString(1, state.name());
                Map<String, TaskCounts> counts = new TreeMap<>();
                try (ResultSet row = count.executeQuery()) {
                    while (row.next()) {
                        counts.put(row.getString("account"),
                                new TaskCounts(row.getInt("tasks"), TaskRows.instant(row, "oldest")));
                    }
                }
                return counts;
            }
        });
    }

    // ---- credit budgets

    @Override
    public CreditCharge chargeCredits(String account, Instant windowStart, Instant windowEnd, long credits,
                                      long budget) {
        Sql s = sql();
        return run("charge credits", connection -> {
            for (int tries = 0; tries < CONFLICT_TRIES; tries++) {
                try (PreparedStatement charge = connection.prepareStatement(s.chargeCredits)) {
                    charge.setLong(1, credits);
                    charge.setString(2, account);
                    TaskRows.setInstant(charge, 3, windowStart);
                    charge.setLong(4, credits);
                    charge.setLong(5, budget);
                    try (ResultSet charged = charge.executeQuery()) {
                        if (charged.next()) {
                            return new CreditCharge(true, charged.getLong(1));
                        }
                    }
                }
                Long spent = spentOrNull(s, connection, account, windowStart);
                if (spent != null) {
                    return new CreditCharge(false, spent);
                }
                if (credits > budget) {
                    return new CreditCharge(false, 0);
                }
                // the window's first charge; a node inserting it at the same time makes this one update instead
                try (PreparedStatement open = connection.prepareStatement(s.openSpendWindow)) {
                    open.setString(1, account);
                    TaskRows.setInstant(open, 2, windowStart);
                    TaskRows.setInstant(open, 3, windowEnd);
                    open.setLong(4, credits);
                    open.executeUpdate();
                    return new CreditCharge(true, credits);
                } catch (SQLException e) {
                    if (!isDuplicateKey(e)) {
                        throw e;
                    }
                }
            }
            throw new SQLException("the budget window kept being opened by others, " + CONFLICT_TRIES + " times");
        });
    }

    @Override
    public void refundCredits(String account, Instant windowStart, long credits) {
        Sql s = sql();
        run("refund credits", connection -> {
            try (PreparedStatement refund = connection.prepareStatement(s.refundCredits)) {
                refund.setLong(1, credits);
                refund.setString(2, account);
                TaskRows.setInstant(refund, 3, windowStart);
                refund.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public long creditsSpent(String account, Instant windowStart) {
        Sql s = sql();
        return run("read the credits spent", connection -> creditsSpent(s, connection, account, windowStart));
    }

    private static long creditsSpent(Sql s, Connection connection, String account, Instant windowStart)
            throws SQLException {
        Long spent = spentOrNull(s, connection, account, windowStart);
        return spent != null ? spent : 0;
    }

    private static Long spentOrNull(Sql s, Connection connection, String account, Instant windowStart)
            throws SQLException {
        try (PreparedStatement read = connection.prepareStatement(s.creditsSpent)) {
            read.setString(1, account);
            TaskRows.setInstant(read, 2, windowStart);
            try (ResultSet row = read.executeQuery()) {
                return row.next() ? row.getLong(1) : null;
            }
        }
    }

    /** False: the store has no bound but the database's size. */
    @Override
    public boolean isFull() {
        return false;
    }

    @Override
    public String toString() {
        Sql s = sql;
        return "JdbcTaskStore[" + (s != null ? s.dialect + ", " : "") + "tables " + tablePrefix + "*]";
    }

    // ---- JDBC

    private static List<TrackedTask> readAll(PreparedStatement query) throws SQLException {
        List<TrackedTask> tasks = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                tasks.add(TaskRows.read(rows));
            }
        }
        return tasks;
    }

    private static boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs statements that need no common transaction, committing when the pool's connections do not auto-commit. */
    private <T> T run(String what, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            if (connection.getAutoCommit()) {
                return work.run(connection);
            }
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    /** Runs statements in one transaction. */
    private <T> T inTransaction(String what, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            if (autoCommit) {
                connection.setAutoCommit(false);
            }
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            } finally {
                if (autoCommit) {
                    connection.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    private static void rollback(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private JdbcTaskStoreException failed(String what, SQLException e) {
        return new JdbcTaskStoreException("The JDBC task store (tables " + tablePrefix + "*) could not " + what + ": "
                                          + e.getMessage(), e);
    }

    // ---- first use: the database and its schema

    private Sql sql() {
        Sql s = sql;
        if (s == null) {
            synchronized (this) {
                s = sql;
                if (s == null) {
                    Dialect dialect;
                    if (createSchema) {
                        // H2 races on concurrent DDL: stores of one JVM create schemas one at a time
                        synchronized (SCHEMA_CREATION) {
                            dialect = inTransaction("create its schema", this::createSchema);
                        }
                    } else {
                        dialect = run("recognise the database", JdbcTaskStore::dialectOf);
                    }
                    if (dialect == Dialect.H2) {
                        run("make H2 write each commit to its file at once", JdbcTaskStore::writeCommitsAtOnce);
                    }
                    s = new Sql(dialect, tablePrefix);
                    sql = s;
                }
            }
        }
        return s;
    }

    private static Dialect dialectOf(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String product = meta.getDatabaseProductName();
        int major = meta.getDatabaseMajorVersion();
        if ("PostgreSQL".equalsIgnoreCase(product) && major >= 12) {
            return Dialect.POSTGRESQL;
        }
        if ("H2".equalsIgnoreCase(product) && major >= 2) {
            return Dialect.H2;
        }
        throw new SQLException("The JDBC task store runs on PostgreSQL 14 or later and H2 2.x, not on " + product + " "
                               + meta.getDatabaseProductVersion());
    }

    /**
     * H2 keeps what was committed in memory for up to its {@code WRITE_DELAY} (500 ms by default) before writing it
     * to the file: a JVM killed meanwhile loses tasks it accepted and deliveries it removed. With 0 each commit is
     * written at once (a database setting that persists; it needs H2's admin rights).
     */
    private static Void writeCommitsAtOnce(Connection connection) throws SQLException {
        try (Statement set = connection.createStatement()) {
            set.execute("SET WRITE_DELAY 0");
        }
        return null;
    }

    private Dialect createSchema(Connection connection) throws SQLException {
        Dialect dialect = dialectOf(connection);
        try (Statement ddl = connection.createStatement()) {
            if (dialect == Dialect.POSTGRESQL) {
                // nodes starting together: one creates the schema, the others wait and find it there
                ddl.execute("SELECT pg_advisory_xact_lock(" + schemaLockKey() + ")");
            }
            int installed = installedVersion(connection);
            if (installed > SCHEMA_VERSION) {
                throw new SQLException("The tables " + tablePrefix + "* have schema version " + installed
                                       + ", newer than version " + SCHEMA_VERSION + " that this store knows");
            }
            // only the versions missing: DDL on tables in use would wait for (and lock out) the other nodes' calls
            for (int version = installed + 1; version <= SCHEMA_VERSION; version++) {
                for (String statement : schemaScript(dialect, version)) {
                    ddl.execute(statement);
                }
            }
        }
        return dialect;
    }

    /** The newest schema version installed, 0 when there is no schema yet. */
    private int installedVersion(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String table = tablePrefix + "schema_version";
        String stored = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT)
                : table.toLowerCase(Locale.ROOT);
        boolean exists = false;
        try (ResultSet tables = meta.getTables(connection.getCatalog(), connection.getSchema(), stored,
                new String[] { "TABLE" })) {
            while (tables.next()) {
                // the prefix's underscores are wildcards in the pattern
                exists |= stored.equals(tables.getString("TABLE_NAME"));
            }
        }
        if (!exists) {
            return 0;
        }
        try (Statement query = connection.createStatement();
             ResultSet row = query.executeQuery("SELECT MAX(version) FROM " + table)) {
            return row.next() ? row.getInt(1) : 0;
        }
    }

    private long schemaLockKey() {
        return 0x6770_7469_6D67_0000L ^ tablePrefix.hashCode();
    }

    /** The statements of the schema files of {@code dialect}, version 1 first, for this store's prefix. */
    List<String> schemaScript(Dialect dialect) {
        List<String> statements = new ArrayList<>();
        for (int version = 1; version <= SCHEMA_VERSION; version++) {
            statements.addAll(schemaScript(dialect, version));
        }
        return statements;
    }

    /** The statements of the schema file of {@code dialect} for {@code version}, for this store's prefix. */
    List<String> schemaScript(Dialect dialect, int version) {
        String resource = "schema-" + dialect.resourceName + "-v" + version + ".sql";
        String script;
        try (InputStream in = JdbcTaskStore.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The schema file " + resource + " is missing from the jar");
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("The schema file " + resource + " cannot be read", e);
        }
        String withoutComments = script.lines().filter(line -> !line.strip().startsWith("--"))
                .collect(Collectors.joining("\n"));
        return Arrays.stream(withoutComments.replace("${prefix}", tablePrefix).split(";"))
                .map(String::strip).filter(statement -> !statement.isEmpty()).toList();
    }

    enum Dialect {
        POSTGRESQL("postgresql"),
        H2("h2");

        final String resourceName;

        Dialect(String resourceName) {
            this.resourceName = resourceName;
        }
    }

    /** The statements of one store, for its database and table prefix. */
    private static final class Sql {
        final Dialect dialect;
        final String insert;
        /** PostgreSQL: inserts a task and accepts its attempt in one statement. */
        final String insertAccepting;
        /** H2: accepts the attempt of a task just inserted. */
        final String accept;
        /** PostgreSQL: inserts an attempt unless its key is held, else reads the one holding it. H2: inserts. */
        final String recordAttempt;
        final String findAttempt;
        final String findAttemptByToken;
        final String markInDoubt;
        final String forgetAttempt;
        final String find;
        /** PostgreSQL: claims in one statement. H2: selects and locks the candidates. */
        final String claim;
        /** H2: leases one candidate, if it is still at its version. */
        final String lease;
        final String update;
        /** PostgreSQL: deletes and keeps the tombstone in one statement. H2: deletes. */
        final String remove;
        /** H2: keeps the tombstone. */
        final String tombstone;
        final String removedToken;
        final String nextDue;
        /**
         * PostgreSQL: drops the old final tasks that are not leased, leaves their tombstones, drops old tombstones, old
         * attempts and old budget windows, in one statement. H2: drops the final tasks.
         */
        final String purge;
        /** H2: drops old tombstones. */
        final String purgeTombstones;
        /** H2: drops old attempts. */
        final String purgeAttempts;
        final String count;
        final String countByAccount;
        /** Adds credits to a budget window unless its spend would exceed the budget, and reads the new spend. */
        final String chargeCredits;
        final String openSpendWindow;
        final String refundCredits;
        final String creditsSpent;
        /** H2: drops old budget windows. */
        final String purgeSpend;

        Sql(Dialect dialect, String prefix) {
            this.dialect = dialect;
            String task = prefix + "task";
            String tombstones = prefix + "tombstone";
            String attempts = prefix + "attempt";
            String spend = prefix + "spend";
            String attemptColumns = String.join(", ", TaskRows.ATTEMPT_COLUMNS);
            boolean pg = dialect == Dialect.POSTGRESQL;
            String due = " WHERE state = ? AND due_at <= ?"
                         + " AND NOT (waiting_node IS NOT NULL AND waiting_node <> ? AND waiting_until IS NOT NULL"
                         + " AND waiting_until > ?) ORDER BY due_at, task_id LIMIT ? FOR UPDATE SKIP LOCKED";
            insert = "INSERT INTO " + task + " (" + COLUMNS + ") VALUES (?, "
                     + TaskRows.COLUMNS.subList(1, TaskRows.COLUMNS.size() - 1).stream()
                             .map(column -> placeholder(pg, column)).collect(Collectors.joining(", "))
                     + ", 0)" + (pg ? " ON CONFLICT (task_id) DO NOTHING" : "");
            accept = "UPDATE " + attempts + " SET state = 'ACCEPTED', task_id = ?"
                     + " WHERE account = ? AND idempotency_key = ?";
            // a data-modifying CTE runs whether or not the statement reads it
            insertAccepting = "WITH added AS (" + insert + ") " + accept;
            String attemptValues = "INSERT INTO " + attempts + " (" + attemptColumns + ") VALUES ("
                                   + TaskRows.ATTEMPT_COLUMNS.stream().map(column -> placeholder(pg, column))
                                           .collect(Collectors.joining(", "))
                                   + ")";
            findAttempt = "SELECT " + attemptColumns + " FROM " + attempts
                          + " WHERE account = ? AND idempotency_key = ?";
            recordAttempt = pg
                    ? "WITH inserted AS (" + attemptValues + " ON CONFLICT (account, idempotency_key) DO NOTHING"
                      + " RETURNING account)"
                      + " SELECT (SELECT COUNT(*) FROM inserted) AS inserted, earlier.* FROM (VALUES (1)) AS one (x)"
                      + " LEFT JOIN (" + findAttempt + " AND NOT EXISTS (SELECT 1 FROM inserted)) AS earlier ON TRUE"
                    : attemptValues;
            findAttemptByToken = "SELECT " + attemptColumns + " FROM " + attempts + " WHERE callback_token = ?"
                                 + " ORDER BY started_at DESC LIMIT 1";
            // an accepted attempt stays accepted: its task exists
            markInDoubt = "UPDATE " + attempts + " SET state = 'IN_DOUBT' WHERE account = ? AND idempotency_key = ?"
                          + " AND state = 'SENDING'";
            forgetAttempt = "DELETE FROM " + attempts + " WHERE account = ? AND idempotency_key = ?";
            find = "SELECT " + COLUMNS + " FROM " + task + " WHERE task_id = ?";
            claim = pg
                    ? "WITH due AS MATERIALIZED (SELECT task_id, due_at AS was_due FROM " + task + due + "),"
                      + " claimed AS (UPDATE " + task + " AS t SET due_at = ?, lease_owner = ?,"
                      + " version = t.version + 1 FROM due WHERE t.task_id = due.task_id RETURNING t.*, due.was_due)"
                      + " SELECT * FROM claimed ORDER BY was_due, task_id"
                    : "SELECT " + COLUMNS + " FROM " + task + due;
            lease = "UPDATE " + task + " SET due_at = ?, lease_owner = ?, version = version + 1"
                    + " WHERE task_id = ? AND version = ?";
            update = "UPDATE " + task + " SET "
                     + TaskRows.COLUMNS.subList(1, TaskRows.COLUMNS.size() - 1).stream()
                             .map(column -> column + " = " + placeholder(pg, column))
                             .collect(Collectors.joining(", "))
                     + ", version = version + 1 WHERE task_id = ? AND version = ?";
            remove = pg
                    ? "WITH removed AS (DELETE FROM " + task + " WHERE task_id = ? AND version = ?"
                      + " RETURNING task_id, callback_token),"
                      + " kept AS (INSERT INTO " + tombstones + " (task_id, callback_token, removed_at)"
                      + " SELECT task_id, callback_token, ? FROM removed WHERE callback_token IS NOT NULL"
                      + " ON CONFLICT (task_id) DO UPDATE SET callback_token = EXCLUDED.callback_token,"
                      + " removed_at = EXCLUDED.removed_at)"
                      + " SELECT COUNT(*) FROM removed"
                    : "DELETE FROM " + task + " WHERE task_id = ? AND version = ?";
            tombstone = "MERGE INTO " + tombstones + " (task_id, callback_token, removed_at) KEY (task_id)"
                        + " VALUES (?, ?, ?)";
            removedToken = "SELECT callback_token FROM " + tombstones + " WHERE task_id = ? AND removed_at >= ?";
            nextDue = "SELECT MIN(due_at) AS next_due FROM " + task + " WHERE state = ?";
            // a final task leased is being delivered: it stays
            String finalBefore = "DELETE FROM " + task + " WHERE state = 'FINAL' AND final_at < ?"
                                 + " AND NOT (lease_owner IS NOT NULL AND due_at > ?)";
            // attempts started before the tombstones' lifetime (no tombstone is older than its attempt): those in
            // doubt or sending, and those accepted whose task is gone and whose tombstone is old or absent
            String oldAttempts = " WHERE a.started_at < ? AND (a.state <> 'ACCEPTED'"
                                 + " OR (NOT EXISTS (SELECT 1 FROM " + task + " t WHERE t.task_id = a.task_id)"
                                 + " AND NOT EXISTS (SELECT 1 FROM " + tombstones + " b WHERE b.task_id = a.task_id"
                                 + " AND b.removed_at >= ?)))";
            purge = pg
                    // one row is changed once in a statement: an expired tombstone of a task dropped now is replaced
                    ? "WITH dropped AS (" + finalBefore + " RETURNING " + COLUMNS + "),"
                      + " expired AS (DELETE FROM " + tombstones + " e WHERE e.removed_at < ?"
                      + " AND NOT EXISTS (SELECT 1 FROM dropped d WHERE d.task_id = e.task_id)),"
                      + " kept AS (INSERT INTO " + tombstones + " (task_id, callback_token, removed_at)"
                      + " SELECT task_id, callback_token, ? FROM dropped WHERE callback_token IS NOT NULL"
                      + " ON CONFLICT (task_id) DO UPDATE SET callback_token = EXCLUDED.callback_token,"
                      + " removed_at = EXCLUDED.removed_at),"
                      + " forgotten AS (DELETE FROM " + attempts + " a" + oldAttempts + "),"
                      + " ended AS (DELETE FROM " + spend + " WHERE window_end < ?)"
                      + " SELECT " + COLUMNS + " FROM dropped"
                    : "SELECT " + COLUMNS + " FROM OLD TABLE (" + finalBefore + ")";
            purgeTombstones = "DELETE FROM " + tombstones + " WHERE removed_at < ?";
            purgeAttempts = "DELETE FROM " + attempts + " a" + oldAttempts;
            count = "SELECT COUNT(*) FROM " + task + " WHERE state = ?";
            countByAccount = "SELECT account, COUNT(*) AS tasks, MIN(submitted_at) AS oldest FROM " + task
                             + " WHERE state = ? GROUP BY account";
            String window = " WHERE account = ? AND window_start = ?";
            String charge = "UPDATE " + spend + " SET spent = spent + ?" + window + " AND spent + ? <= ?";
            chargeCredits = pg ? charge + " RETURNING spent" : "SELECT spent FROM FINAL TABLE (" + charge + ")";
            openSpendWindow = "INSERT INTO " + spend + " (account, window_start, window_end, spent) VALUES (?, ?, ?, ?)";
            refundCredits = "UPDATE " + spend + " SET spent = GREATEST(spent - ?, 0)" + window;
            creditsSpent = "SELECT spent FROM " + spend + window;
            purgeSpend = "DELETE FROM " + spend + " WHERE window_end < ?";
        }

        private static String placeholder(boolean pg, String column) {
            return pg && TaskRows.JSON_COLUMNS.contains(column) ? "CAST(? AS JSONB)" : "?";
        }
    }

    /** The options of a {@link JdbcTaskStore}. */
    public static final class Builder {
        private final DataSource dataSource;
        private String tablePrefix = DEFAULT_TABLE_PREFIX;
        private boolean createSchema = true;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * The prefix of the table and index names (default {@value JdbcTaskStore#DEFAULT_TABLE_PREFIX}): letters, digits and
         * underscores, not starting with a digit, at most 40 characters. Stores with different prefixes keep separate
         * tasks in one database.
         */
        public Builder tablePrefix(String tablePrefix) {
            if (tablePrefix == null || !TABLE_PREFIX.matcher(tablePrefix).matches()) {
                throw new IllegalArgumentException("A table prefix is letters, digits and underscores, not starting"
                                                   + " with a digit, at most 40 characters: not " + tablePrefix);
            }
            this.tablePrefix = tablePrefix;
            return this;
        }

        /**
         * Whether the store creates its tables and indexes when absent (default true). False when the schema is
         * managed outside, for instance by a migration tool running the schema file from the jar.
         */
        public Builder createSchema(boolean createSchema) {
            this.createSchema = createSchema;
            return this;
        }

        public JdbcTaskStore build() {
            return new JdbcTaskStore(this);
        }
    }
}
