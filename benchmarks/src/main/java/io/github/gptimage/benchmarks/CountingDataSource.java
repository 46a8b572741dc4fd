package io.github.gptimage.benchmarks;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A {@link DataSource} counting the database round trips made on its connections, by statement: each
 * {@code execute}, {@code executeQuery}, {@code executeUpdate}, {@code executeLargeUpdate} and {@code executeBatch},
 * each {@code commit} and {@code rollback}, and each {@code isValid} (the pool's liveness check) is one round trip.
 * Put beneath the connection pool (as the pool's own data source), it also counts what the pool sends. A statement is
 * named by the start of its SQL, with the table prefix as written.
 */
final class CountingDataSource implements DataSource {

    private final DataSource target;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final LongAdder connections = new LongAdder();
    /** The name of each statement text met, so that a statement is named once, not at each prepare. */
    private final Map<String, String> names = new ConcurrentHashMap<>();

    CountingDataSource(DataSource target) {
        this.target = target;
    }

    /** The round trips per statement name since the last reset. */
    Map<String, Long> counts() {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((name, count) -> {
            long value = count.sum();
            if (value > 0) {
                snapshot.put(name, value);
            }
        });
        return snapshot;
    }

    long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Physical connections opened since the last reset. */
    long connectionsOpened() {
        return connections.sum();
    }

    void reset() {
        counts.values().forEach(LongAdder::reset);
        connections.reset();
    }

    private void count(String name) {
        counts.computeIfAbsent(name, key -> new LongAdder()).increment();
    }

    /**
     * The first words of a statement, enough to tell the store's statements apart; a plain select is named by its
     * first column, its table and its condition's first column.
     */
    static String name(String sql) {
        String flat = sql.strip().replaceAll("\\s+", " ");
        String[] words = flat.split(" ");
        if (words[0].equalsIgnoreCase("SELECT")) {
            String name = "SELECT " + words[1] + " ..." + after(words, "FROM", 1) + after(words, "WHERE", 1);
            return name.length() > 70 ? name.substring(0, 70) : name;
        }
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < words.length && i < 6; i++) {
            name.append(i > 0 ? " " : "").append(words[i]);
        }
        return name.length() > 70 ? name.substring(0, 70) : name.toString();
    }

    private static String after(String[] words, String keyword, int count) {
        for (int i = 0; i < words.length; i++) {
            if (words[i].equalsIgnoreCase(keyword)) {
                StringBuilder part = new StringBuilder(" ").append(keyword);
                for (int j = i + 1; j <= i + count && j < words.length; j++) {
                    part.append(' ').append(words[j]);
                }
                return part.toString();
            }
        }
        return "";
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(target.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(target.getConnection(username, password));
    }

    private Connection wrap(Connection connection) {
        connections.increment();
        return (Connection) Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new ConnectionHandler(connection));
    }

    private final class ConnectionHandler implements InvocationHandler {
        private final Connection connection;

        ConnectionHandler(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            switch (name) {
                case "commit" -> count("(commit)");
                case "rollback" -> count("(rollback)");
                case "isValid" -> count("(isValid: the pool's check)");
                case "unwrap" -> {
                    if (((Class<?>) args[0]).isInstance(proxy)) {
                        return proxy;
                    }
                }
                default -> {
                }
            }
            Object result = call(connection, method, args);
            if (result instanceof PreparedStatement prepared && name.startsWith("prepare")) {
                return statement(prepared, PreparedStatement.class,
                        names.computeIfAbsent((String) args[0], CountingDataSource::name));
            }
            if (result instanceof Statement statement && name.equals("createStatement")) {
                return statement(statement, Statement.class, null);
            }
            return result;
        }
    }

    private Object statement(Statement statement, Class<? extends Statement> type, String sqlName) {
        Class<?>[] types = type == PreparedStatement.class
                ? new Class<?>[] {PreparedStatement.class} : new Class<?>[] {Statement.class};
        return Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(), types, (proxy, method, args) -> {
            String name = method.getName();
            if (name.startsWith("execute")) {
                boolean withSql = args != null && args.length > 0 && args[0] instanceof String;
                count(withSql ? names.computeIfAbsent((String) args[0], CountingDataSource::name)
                        : sqlName != null ? sqlName : "(statement)");
            } else if (name.equals("unwrap") && ((Class<?>) args[0]).isInstance(proxy)) {
                return proxy;
            }
            return call(statement, method, args);
        });
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || target.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "CountingDataSource[%s]", target);
    }
}
