package io.github.gptimage.camel.task.jdbc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gptimage.camel.api.GenerateRequest;
import io.github.gptimage.camel.api.TaskInfo;
import io.github.gptimage.camel.api.TaskStatus;
import io.github.gptimage.camel.task.PollSchedule;
import io.github.gptimage.camel.task.SubmitAttempt;
import io.github.gptimage.camel.task.SubmitAttempt.AttemptState;
import io.github.gptimage.camel.task.TaskState;
import io.github.gptimage.camel.task.TrackedTask;

/**
 * A {@link TrackedTask} as a row of the task table, and a {@link SubmitAttempt} as a row of the attempt table: the
 * columns in order, binding to statement parameters and reading back. The request, the correlation headers, the final
 * answer and an attempt's template are JSON written by Jackson from records; instants in columns are kept to the
 * microsecond (the precision of PostgreSQL's timestamps), instants in JSON to the nanosecond, durations to the
 * millisecond.
 */
final class TaskRows {

    /** The columns of the task table, {@code task_id} first and {@code version} last. */
    static final List<String> COLUMNS = List.of("task_id", "account", "submitted_at", "request", "callback_token",
            "correlation_headers", "initial_delay_ms", "max_interval_ms", "safety_net", "request_timeout_ms",
            "connect_timeout_ms", "idempotency_key", "credits", "state", "due_at", "lease_owner", "poll_count",
            "progress", "progress_at", "final_info", "final_at", "deliveries", "waiting_node", "waiting_until",
            "version");
    /** The columns holding JSON: PostgreSQL binds them with a cast to jsonb. */
    static final List<String> JSON_COLUMNS = List.of("request", "correlation_headers", "final_info", "template");
    /** The columns of the attempt table, in the order {@link #bindAttempt} binds them. */
    static final List<String> ATTEMPT_COLUMNS = List.of("account", "idempotency_key", "started_at", "state", "task_id",
            "callback_token", "template");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, StoredHeader>> HEADERS = new TypeReference<>() {
    };

    private TaskRows() {
    }

    /** Binds every column but {@code task_id} and {@code version}, from parameter {@code first} on. */
    static int bindValues(PreparedStatement statement, int first, TrackedTask task) throws SQLException {
        int i = first;
        PollSchedule schedule = task.schedule();
        statement.setString(i++, task.account());
        setInstant(statement, i++, task.submittedAt());
        statement.setString(i++, task.request() != null ? json(task.request()) : null);
        statement.setString(i++, task.callbackToken());
        statement.setString(i++, json(storedHeaders(task.correlationHeaders())));
        statement.setLong(i++, schedule.initialDelay().toMillis());
        statement.setLong(i++, schedule.maxInterval().toMillis());
        statement.setBoolean(i++, schedule.safetyNet());
        statement.setLong(i++, schedule.requestTimeout().toMillis());
        statement.setLong(i++, schedule.connectTimeout().toMillis());
        statement.setString(i++, task.idempotencyKey());
        statement.setLong(i++, task.credits());
        statement.setString(i++, task.state().name());
        setInstant(statement, i++, task.dueAt());
        statement.setString(i++, task.leaseOwner());
        statement.setInt(i++, task.pollCount());
        if (task.progress() != null) {
            statement.setDouble(i++, task.progress());
        } else {
            statement.setNull(i++, Types.DOUBLE);
        }
        setInstant(statement, i++, task.progressAt());
        statement.setString(i++, task.finalInfo() != null ? json(StoredInfo.of(task.finalInfo())) : null);
        setInstant(statement, i++, task.finalAt());
        statement.setInt(i++, task.deliveries());
        statement.setString(i++, task.waitingNode());
        setInstant(statement, i++, task.waitingUntil());
        return i;
    }

    static TrackedTask read(ResultSet row) throws SQLException {
        PollSchedule schedule = new PollSchedule(
                Duration.ofMillis(row.getLong("initial_delay_ms")), Duration.ofMillis(row.getLong("max_interval_ms")),
                row.getBoolean("safety_net"), Duration.ofMillis(row.getLong("request_timeout_ms")),
                Duration.ofMillis(row.getLong("connect_timeout_ms")));
        double progress = row.getDouble("progress");
        Double progressOrNull = row.wasNull() ? null : progress;
        String request = row.getString("request");
        String finalInfo = row.getString("final_info");
        return new TrackedTask(
                row.getString("task_id"),
                row.getString("account"),
                instant(row, "submitted_at"),
                request != null ? fromJson(request, GenerateRequest.class) : null,
                row.getString("callback_token"),
                headers(fromJson(row.getString("correlation_headers"), HEADERS)),
                schedule,
                row.getString("idempotency_key"),
                row.getLong("credits"),
                TaskState.valueOf(row.getString("state")),
                instant(row, "due_at"),
                row.getString("lease_owner"),
                row.getInt("poll_count"),
                progressOrNull,
                instant(row, "progress_at"),
                finalInfo != null ? fromJson(finalInfo, StoredInfo.class).toInfo() : null,
                instant(row, "final_at"),
                row.getInt("deliveries"),
                row.getString("waiting_node"),
                instant(row, "waiting_until"),
                row.getLong("version"));
    }

    /** Binds every column of an attempt, in {@link #ATTEMPT_COLUMNS}' order, from parameter {@code first} on. */
    static int bindAttempt(PreparedStatement statement, int first, SubmitAttempt attempt) throws SQLException {
        if (attempt.template() == null) {
            throw new IllegalArgumentException("An attempt has the task it will track as its template, not null");
        }
        int i = first;
        statement.setString(i++, attempt.account());
        statement.setString(i++, attempt.idempotencyKey());
        setInstant(statement, i++, attempt.startedAt());
        statement.setString(i++, attempt.state().name());
        statement.setString(i++, attempt.taskId());
        statement.setString(i++, attempt.callbackToken());
        statement.setString(i++, json(StoredTemplate.of(attempt.template())));
        return i;
    }

    static SubmitAttempt readAttempt(ResultSet row) throws SQLException {
        return new SubmitAttempt(
                row.getString("account"),
                row.getString("idempotency_key"),
                instant(row, "started_at"),
                AttemptState.valueOf(row.getString("state")),
                row.getString("task_id"),
                fromJson(row.getString("template"), StoredTemplate.class).toTask());
    }

    /** An instant as a timestamp with time zone, at the microsecond; null as SQL NULL. */
    static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
        }
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value != null ? value.toInstant() : null;
    }

    private static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("A GPT image task cannot be written as JSON: " + e.getOriginalMessage(),
                    e);
        }
    }

    private static <T> T fromJson(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new JdbcTaskStoreException("A stored GPT image task cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    private static <T> T fromJson(String json, TypeReference<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new JdbcTaskStoreException("A stored GPT image task cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    private static Map<String, StoredHeader> storedHeaders(Map<String, Object> headers) {
        Map<String, StoredHeader> stored = new LinkedHashMap<>();
        headers.forEach((name, value) -> stored.put(name, StoredHeader.of(value)));
        return stored;
    }

    private static Map<String, Object> headers(Map<String, StoredHeader> stored) {
        Map<String, Object> headers = new LinkedHashMap<>();
        if (stored != null) {
            stored.forEach((name, value) -> headers.put(name, value.toValue()));
        }
        return headers;
    }

    /**
     * A correlation header's value with its Java type, so that a Long comes back a Long and an Integer an Integer
     * (plain JSON numbers would not tell them apart). A Number of another type is kept as a BigDecimal.
     */
    record StoredHeader(String type, String value) {

        static StoredHeader of(Object value) {
            if (value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Short || value instanceof Byte || value instanceof Double
                || value instanceof Float || value instanceof BigInteger || value instanceof BigDecimal) {
                return new StoredHeader(value.getClass().getSimpleName(), value.toString());
            }
            if (value instanceof Number number) {
                try {
                    return new StoredHeader("BigDecimal", new BigDecimal(number.toString()).toString());
                } catch (NumberFormatException notDecimal) {
                    return new StoredHeader("Double", Double.toString(number.doubleValue()));
                }
            }
            throw new IllegalArgumentException("A correlation header is a String, Number or Boolean, not a "
                                               + value.getClass().getName());
        }

        Object toValue() {
            return switch (type) {
                case "String" -> value;
                case "Boolean" -> Boolean.valueOf(value);
                case "Integer" -> Integer.valueOf(value);
                case "Long" -> Long.valueOf(value);
                case "Short" -> Short.valueOf(value);
                case "Byte" -> Byte.valueOf(value);
                case "Double" -> Double.valueOf(value);
                case "Float" -> Float.valueOf(value);
                case "BigInteger" -> new BigInteger(value);
                case "BigDecimal" -> new BigDecimal(value);
                default -> throw new JdbcTaskStoreException("A stored correlation header has an unknown type: " + type,
                        null);
            };
        }
    }

    /**
     * A {@link TaskInfo} as stored: its instants as ISO-8601 text (exact to the nanosecond), its status by name (one
     * this version does not know reads as {@link TaskStatus#UNKNOWN}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record StoredInfo(String taskId, String status, Double progress, List<String> resultUrls, String errorCode,
                      String errorMessage, String createTime, String completeTime, Map<String, Object> parameters) {

        static StoredInfo of(TaskInfo info) {
            return new StoredInfo(info.taskId(), info.status().name(), info.progress(), info.resultUrls(),
                    info.errorCode(), info.errorMessage(), text(info.createTime()), text(info.completeTime()),
                    info.parameters());
        }

        TaskInfo toInfo() {
            return new TaskInfo(taskId, TaskStatus.fromValue(status), progress, resultUrls, errorCode, errorMessage,
                    instant(createTime), instant(completeTime), parameters);
        }

        private static String text(Instant instant) {
            return instant != null ? instant.toString() : null;
        }

        private static Instant instant(String text) {
            return text != null ? Instant.parse(text) : null;
        }
    }

    /**
     * An attempt's template, the task as it will be tracked, without its task id: every other field of the
     * {@link TrackedTask}, the request, correlation headers and final answer as in the task table, instants as
     * ISO-8601 text, durations in milliseconds.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record StoredTemplate(String account, String submittedAt, GenerateRequest request, String callbackToken,
                          Map<String, StoredHeader> correlationHeaders, long initialDelayMs, long maxIntervalMs,
                          boolean safetyNet, long requestTimeoutMs, long connectTimeoutMs, String idempotencyKey,
                          long credits, String state, String dueAt, String leaseOwner, int pollCount, Double progress,
                          String progressAt, StoredInfo finalInfo, String finalAt, int deliveries, String waitingNode,
                          String waitingUntil, long version) {

        static StoredTemplate of(TrackedTask task) {
            PollSchedule schedule = task.schedule();
            return new StoredTemplate(task.account(), text(task.submittedAt()), task.request(), task.callbackToken(),
                    storedHeaders(task.correlationHeaders()), schedule.initialDelay().toMillis(),
                    schedule.maxInterval().toMillis(), schedule.safetyNet(), schedule.requestTimeout().toMillis(),
                    schedule.connectTimeout().toMillis(), task.idempotencyKey(), task.credits(),
                    task.state().name(),
                    text(task.dueAt()), task.leaseOwner(), task.pollCount(), task.progress(), text(task.progressAt()),
                    task.finalInfo() != null ? StoredInfo.of(task.finalInfo()) : null, text(task.finalAt()),
                    task.deliveries(), task.waitingNode(), text(task.waitingUntil()), task.version());
        }

        /** The template as a task without id. */
        TrackedTask toTask() {
            PollSchedule schedule = new PollSchedule(Duration.ofMillis(initialDelayMs),
                    Duration.ofMillis(maxIntervalMs), safetyNet, Duration.ofMillis(requestTimeoutMs),
                    Duration.ofMillis(connectTimeoutMs));
            return new TrackedTask(null, account, instant(submittedAt), request, callbackToken,
                    headers(correlationHeaders), schedule, idempotencyKey, credits, TaskState.valueOf(state),
                    instant(dueAt),
                    leaseOwner, pollCount, progress, instant(progressAt),
                    finalInfo != null ? finalInfo.toInfo() : null, instant(finalAt), deliveries, waitingNode,
                    instant(waitingUntil), version);
        }

        private static String text(Instant instant) {
            return instant != null ? instant.toString() : null;
        }

        private static Instant instant(String text) {
            return text != null ? Instant.parse(text) : null;
        }
    }
}
