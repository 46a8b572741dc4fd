package io.github.gptimage.camel;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.gptimage.camel.health.GptImageHealthCheckRepository;
import io.github.gptimage.camel.health.ProducerHealthCheck;
import io.github.gptimage.camel.task.GptImageTaskService;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.WritableHealthCheckRepository;
import org.apache.camel.util.URISupport;

/**
 * Binds the component's health checks to Camel's health check registry: the {@code gptimage} repository of the
 * accounts and callback receivers of every started task store (once per context, on by default), and a check per
 * producer in Camel's {@code producers} repository (on with {@code camel.health.producers-enabled=true}).
 */
final class GptImageHealth {

    private GptImageHealth() {
    }

    /** Registers the {@code gptimage} repository, once per context; nothing when the context has no registry. */
    static void registerRepository(CamelContext context) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry != null && registry.getRepository(GptImageHealthCheckRepository.REPOSITORY_ID).isEmpty()) {
            registry.register(new GptImageHealthCheckRepository(() -> startedServices(context)));
        }
    }

    private static Map<String, GptImageTaskService> startedServices(CamelContext context) {
        Map<String, GptImageTaskService> started = new LinkedHashMap<>();
        GptImageComponent.taskServices(context).forEach((name, service) -> {
            if (service.isStarted()) {
                started.put(name, service);
            }
        });
        return started;
    }

    /**
     * The health check of one producer, in Camel's producers repository while the producer runs: a producer holds one
     * and calls {@link #start} and {@link #stop} with its own.
     */
    static final class Producer {
        private WritableHealthCheckRepository repository;
        private ProducerHealthCheck check;

        /** Adds the check of a started producer of {@code endpoint}, when the context has a producers repository. */
        void start(GptImageEndpoint endpoint) {
            repository = HealthCheckHelper.getHealthCheckRepository(endpoint.getCamelContext(), "producers",
                    WritableHealthCheckRepository.class);
            GptImageTaskService service = endpoint.getTaskService();
            check = ProducerHealthCheck.add(repository, endpoint.getComponent().isHealthCheckProducerEnabled(),
                    endpoint.getOperation().name(), endpoint.getId(), endpoint.getComponent().storeName(service),
                    service, endpoint::getAccount, URISupport.sanitizeUri(endpoint.getEndpointUri()));
        }

        void stop() {
            ProducerHealthCheck.remove(repository, check);
            check = null;
            repository = null;
        }
    }
}
