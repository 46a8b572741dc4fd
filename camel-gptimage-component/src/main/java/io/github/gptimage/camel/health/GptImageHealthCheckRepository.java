package io.github.gptimage.camel.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.github.gptimage.camel.task.Account;
import io.github.gptimage.camel.task.GptImageTaskService;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRepository;

/**
 * The health checks of the gptimage task stores of a CamelContext (repository id {@code gptimage}, enabled by default,
 * readiness only): one per account of each started store ({@link AccountHealthCheck}) and one per callback receiver
 * ({@link CallbackHealthCheck}). The checks follow the accounts as endpoints register them; each keeps its identity
 * (and so Camel's success and failure counts) while its account exists. Exclude them with
 * {@code camel.health.exclude-pattern=gptimage*}.
 */
public final class GptImageHealthCheckRepository implements HealthCheckRepository, CamelContextAware {

    public static final String REPOSITORY_ID = "gptimage";

    private final Supplier<Map<String, GptImageTaskService>> services;
    private final Map<String, HealthCheck> checks = new ConcurrentHashMap<>();
    private final Map<GptImageTaskService, PendingCounts> pending = new ConcurrentHashMap<>();
    private volatile CamelContext context;
    private volatile boolean enabled = true;

    /** @param services the started task services of the context by store name, asked at every health call */
    public GptImageHealthCheckRepository(Supplier<Map<String, GptImageTaskService>> services) {
        this.services = services;
    }

    @Override
    public String getId() {
        return REPOSITORY_ID;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }

    @Override
    public Stream<HealthCheck> stream() {
        if (!enabled) {
            return Stream.empty();
        }
        List<HealthCheck> current = new ArrayList<>();
        services.get().forEach((store, service) -> {
            PendingCounts counts = pending.computeIfAbsent(service, known -> new PendingCounts(known.store()));
            for (Account account : service.accounts()) {
                String id = AccountHealthCheck.id(store, account.name());
                HealthCheck check = checks.compute(id, (key, known) -> known instanceof AccountHealthCheck same
                        && same.account() == account ? known : bound(new AccountHealthCheck(store, account, counts)));
                current.add(check);
            }
            if (service.settings().callbacks() != null) {
                current.add(checks.compute(CallbackHealthCheck.id(store), (key, known) ->
                        known instanceof CallbackHealthCheck same && same.service() == service
                                ? known : bound(new CallbackHealthCheck(store, service))));
            }
        });
        checks.values().retainAll(current);
        pending.keySet().retainAll(services.get().values());
        return current.stream();
    }

    private HealthCheck bound(HealthCheck check) {
        CamelContextAware.trySetCamelContext(check, context);
        return check;
    }
}
