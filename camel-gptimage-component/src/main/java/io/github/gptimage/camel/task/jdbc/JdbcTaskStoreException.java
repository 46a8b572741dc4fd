package io.github.gptimage.camel.task.jdbc;

/**
 * A call of the {@link JdbcTaskStore} failed: the database could not be reached or refused a statement, or a stored
 * task could not be read. Unchecked, like every failure of a task store: the task service logs it once per outage and
 * keeps its tasks.
 */
public class JdbcTaskStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public JdbcTaskStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
