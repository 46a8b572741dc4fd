package io.github.gptimage.camel.health;

import java.util.Map;
import java.util.function.Supplier;

import io.github.gptimage.camel.task.Account;
import io.github.gptimage.camel.task.GptImageTaskService;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.health.WritableHealthCheckRepository;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The health of a {@code generate} or {@code info} producer, in Camel's producers repository (off unless
 * {@code camel.health.producers-enabled=true}), id {@code producer:gptimage-<operation>-<endpoint id>}: the health of
 * the producer's account, as {@link AccountHealthCheck} reports it, plus the endpoint URI (its key masked).
 */
public final class ProducerHealthCheck extends AbstractHealthCheck {

    private final String store;
    private final Supplier<Account> account;
    private final PendingCounts pending;
    private final String endpointUri;

    private ProducerHealthCheck(String id, String store, GptImageTaskService service, Supplier<Account> account,
                                String endpointUri) {
        super("camel", id);
        this.store = store;
        this.account = account;
        this.pending = new PendingCounts(service.store());
        this.endpointUri = endpointUri;
    }

    /**
     * Adds the check of a producer to Camel's producers repository, when there is one.
     *
     * @param  repository  Camel's producers repository, or null when the context has no health checks
     * @param  enabled     the component's {@code healthCheckProducerEnabled}
     * @param  endpointUri the endpoint URI with its secrets masked
     * @return             the check, to {@link #remove} when the producer stops, or null
     */
    public static ProducerHealthCheck add(WritableHealthCheckRepository repository, boolean enabled, String operation,
                                          String endpointId, String store, GptImageTaskService service,
                                          Supplier<Account> account, String endpointUri) {
        if (repository == null) {
            return null;
        }
        ProducerHealthCheck check = new ProducerHealthCheck("producer:gptimage-" + operation + "-" + endpointId, store,
                service, account, endpointUri);
        check.setEnabled(enabled);
        repository.addHealthCheck(check);
        return check;
    }

    /** Removes a check {@link #add} added; nothing for null. */
    public static void remove(WritableHealthCheckRepository repository, ProducerHealthCheck check) {
        if (repository != null && check != null) {
            repository.removeHealthCheck(check);
        }
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail(ENDPOINT_URI, endpointUri);
        Account current = account.get();
        if (current == null) {
            builder.message("The producer is not started");
            builder.unknown();
            return;
        }
        AccountReport.report(builder, store, current, pending);
    }
}
