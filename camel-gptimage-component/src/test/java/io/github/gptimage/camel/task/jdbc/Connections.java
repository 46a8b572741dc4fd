package io.github.gptimage.camel.task.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import javax.sql.DataSource;

/** Data sources that watch or change the connections of another one, for the JDBC store's tests. */
final class Connections {

    private static final Set<String> ROUND_TRIPS = Set.of("execute", "executeQuery", "executeUpdate",
            "executeLargeUpdate", "executeBatch", "executeLargeBatch", "commit", "rollback");

    private Connections() {
    }

    /** Counts the statements executed, commits and rollbacks: each one round trip to a database server. */
    static final class RoundTrips {
        final AtomicInteger count = new AtomicInteger();
        final DataSource dataSource;

        RoundTrips(DataSource database) {
            dataSource = wrap(database, connection -> proxy(Connection.class, connection, (target, method, args) -> {
                Object result = invoke(target, method, args);
                if (ROUND_TRIPS.contains(method.getName())) {
                    count.incrementAndGet();
                }
                if (result instanceof Statement statement) {
                    return proxy(method.getReturnType(), statement, (s, m, a) -> {
                        if (ROUND_TRIPS.contains(m.getName())) {
                            count.incrementAndGet();
                        }
                        return invoke(s, m, a);
                    });
                }
                return result;
            }));
        }

        /** How many round trips {@code call} made. */
        int of(Runnable call) {
            int before = count.get();
            call.run();
            return count.get() - before;
        }
    }

    /** The connections of {@code database}, not in auto-commit mode: the store must commit what it writes. */
    static DataSource withoutAutoCommit(DataSource database) {
        return wrap(database, connection -> {
            try {
                connection.setAutoCommit(false);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            return connection;
        });
    }

    private static DataSource wrap(DataSource database, UnaryOperator<Connection> change) {
        return proxy(DataSource.class, database, (target, method, args) -> {
            Object result = invoke(target, method, args);
            return result instanceof Connection connection ? change.apply(connection) : result;
        });
    }

    @FunctionalInterface
    private interface Handler {
        Object handle(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable;
    }

    /** A {@code type} that hands every call on {@code target} to {@code handler}. */
    private static <T> T proxy(Class<T> type, Object target, Handler handler) {
        InvocationHandler invocation = (p, method, args) -> handler.handle(target, method, args);
        return type.cast(Proxy.newProxyInstance(Connections.class.getClassLoader(), new Class<?>[] { type },
                invocation));
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
