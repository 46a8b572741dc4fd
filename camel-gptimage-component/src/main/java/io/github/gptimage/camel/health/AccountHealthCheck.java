package io.github.gptimage.camel.health;

import java.util.Map;

import io.github.gptimage.camel.task.Account;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The readiness of one account of one task store, id {@code gptimage-account-<store>-<account>}: DOWN while the
 * service refuses the key (401), the credits ran out (402), or it is under maintenance or full (455, 550). Liveness is
 * not affected: restarting would not help.
 */
public final class AccountHealthCheck extends AbstractHealthCheck {

    private final String store;
    private final Account account;
    private final PendingCounts pending;

    AccountHealthCheck(String store, Account account, PendingCounts pending) {
        super("camel", id(store, account.name()));
        this.store = store;
        this.account = account;
        this.pending = pending;
    }

    static String id(String store, String account) {
        return "gptimage-account-" + store + "-" + account;
    }

    Account account() {
        return account;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        AccountReport.report(builder, store, account, pending);
    }
}
