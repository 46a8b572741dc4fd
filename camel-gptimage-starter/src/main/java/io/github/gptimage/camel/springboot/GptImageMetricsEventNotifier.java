package io.github.gptimage.camel.springboot;

import java.util.concurrent.TimeUnit;

import io.github.gptimage.camel.GptImageConstants;
import io.github.gptimage.camel.GptImageEndpoint;
import io.github.gptimage.camel.GptImageOperation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Records the gptimage component's calls and completions in a Micrometer {@link MeterRegistry} (Actuator's), from
 * Camel's exchange events, so that nothing in the component is involved:
 * <ul>
 * <li>{@value #CALLS}, a timer of the exchanges sent to gptimage producers, tagged {@code operation} (generate,
 * info), {@code outcome} (success, failure) and {@code exception} (the simple name of the exception's class, or
 * none). A generate with waitForCompletion is timed until its task is final.</li>
 * <li>{@value #COMPLETIONS}, a counter of the completion exchanges of the gptimage:tasks consumers, tagged
 * {@code status} (the task's status: SUCCESS, GENERATE_FAILED, ...) and {@code outcome} (completed; failed when the
 * route failed it unhandled, so that the task is delivered again).</li>
 * </ul>
 */
public class GptImageMetricsEventNotifier extends EventNotifierSupport {

    public static final String CALLS = "gptimage.calls";
    public static final String COMPLETIONS = "gptimage.completions";

    private final MeterRegistry registry;

    public GptImageMetricsEventNotifier(MeterRegistry registry) {
        this.registry = registry;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        // not the sending events: Camel times a send, and emits its sent event, only when one was notified
        setIgnoreExchangeRedeliveryEvents(true);
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.ExchangeSentEvent sent) {
            sent(sent);
        } else if (event instanceof CamelEvent.ExchangeCompletedEvent completed) {
            completion(completed.getExchange(), "completed");
        } else if (event instanceof CamelEvent.ExchangeFailedEvent failed) {
            completion(failed.getExchange(), "failed");
        }
    }

    private void sent(CamelEvent.ExchangeSentEvent event) {
        Endpoint endpoint = event.getEndpoint();
        if (!(endpoint instanceof GptImageEndpoint gptimage) || gptimage.getOperation() == GptImageOperation.tasks) {
            return;
        }
        Exception exception = event.getExchange().getException();
        Timer.builder(CALLS)
                .description("Exchanges sent to gptimage producers")
                .tag("operation", gptimage.getOperation().name())
                .tag("outcome", exception == null ? "success" : "failure")
                .tag("exception", exception == null ? "none" : exception.getClass().getSimpleName())
                .register(registry)
                .record(event.getTimeTaken(), TimeUnit.MILLISECONDS);
    }

    private void completion(Exchange exchange, String outcome) {
        if (!(exchange.getFromEndpoint() instanceof GptImageEndpoint gptimage)
            || gptimage.getOperation() != GptImageOperation.tasks) {
            return;
        }
        Object status = exchange.getMessage().getHeader(GptImageConstants.STATUS);
        Counter.builder(COMPLETIONS)
                .description("Completion exchanges of gptimage:tasks consumers")
                .tag("status", status != null ? status.toString() : "UNKNOWN")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }
}
