package io.github.gptimage.camel.health;

import java.util.Map;
import java.util.Optional;

import io.github.gptimage.camel.task.CallbackStatus;
import io.github.gptimage.camel.task.GptImageTaskService;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The readiness of the callback receiver of a task store, id {@code gptimage-callbacks-<store>}: DOWN while its HTTP
 * route is not serving (not started yet, stopped or suspended), since the service's callbacks would then be lost to
 * polling's slower safety net.
 */
public final class CallbackHealthCheck extends AbstractHealthCheck {

    static final String PATH = "callback.path";
    static final String RECEIVED = "callbacks.received";
    static final String REFUSED = "callbacks.refused";

    private final String store;
    private final GptImageTaskService service;

    CallbackHealthCheck(String store, GptImageTaskService service) {
        super("camel", id(store));
        this.store = store;
        this.service = service;
    }

    static String id(String store) {
        return "gptimage-callbacks-" + store;
    }

    GptImageTaskService service() {
        return service;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail(AccountReport.STORE, store);
        Optional<CallbackStatus> status = service.callbackStatus();
        if (status.isEmpty()) {
            builder.up();
            return;
        }
        CallbackStatus callbacks = status.get();
        builder.detail(PATH, callbacks.path());
        builder.detail(RECEIVED, callbacks.received());
        builder.detail(REFUSED, callbacks.refused());
        if (callbacks.serving()) {
            builder.up();
        } else {
            builder.message("The GPT image callback route POST " + callbacks.path() + "/{token} of store " + store
                            + " is not serving: callbacks cannot arrive, only polling finds the tasks");
            builder.down();
        }
    }
}
