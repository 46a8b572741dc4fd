package io.github.gptimage.camel.health;

import java.time.Instant;

import io.github.gptimage.camel.task.Account;
import io.github.gptimage.camel.task.AccountHealth;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The health of one account as a health check reports it: DOWN with the reason after 401, 402, 455 or 550 (see
 * {@link AccountHealth}), UP otherwise, and the details: store, account, base URL (never the key), pending tasks,
 * last error (code, operation, time, message) and last success.
 */
final class AccountReport {

    static final String STORE = "store";
    static final String ACCOUNT = "account";
    static final String BASE_URL = "base.url";
    static final String PENDING_TASKS = "pending.tasks";
    static final String LAST_ERROR_CODE = "last.error.code";
    static final String LAST_ERROR_TIME = "last.error.time";
    static final String LAST_ERROR_OPERATION = "last.error.operation";
    static final String LAST_ERROR_MESSAGE = "last.error.message";
    static final String LAST_SUCCESS_TIME = "last.success.time";

    private AccountReport() {
    }

    static void report(HealthCheckResultBuilder builder, String store, Account account, PendingCounts pending) {
        AccountHealth health = account.health();
        builder.detail(STORE, store);
        builder.detail(ACCOUNT, account.name());
        builder.detail(BASE_URL, account.baseUrl());
        int tasks = pending.of(account.name());
        if (tasks >= 0) {
            builder.detail(PENDING_TASKS, tasks);
        }
        AccountHealth.Failure last = health.lastError();
        if (last != null) {
            builder.detail(LAST_ERROR_CODE, last.code());
            builder.detail(LAST_ERROR_TIME, last.at().toString());
            builder.detail(LAST_ERROR_OPERATION, last.operation().tag());
            if (last.message() != null) {
                builder.detail(LAST_ERROR_MESSAGE, last.message());
            }
        }
        if (health.lastSuccess() != null) {
            builder.detail(LAST_SUCCESS_TIME, health.lastSuccess().toString());
        }
        AccountHealth.Failure down = health.downAt(Instant.now());
        if (down == null) {
            builder.up();
            return;
        }
        builder.detail(AbstractHealthCheck.SERVICE_ERROR_CODE, down.code());
        builder.message("GPT image account " + account.name() + " is DOWN: " + AccountHealth.reason(down.code())
                        + " at " + down.at() + (down.message() != null ? ": " + down.message() : ""));
        builder.down();
    }
}
