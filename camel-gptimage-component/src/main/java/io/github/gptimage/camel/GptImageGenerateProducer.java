package io.github.gptimage.camel;

import io.github.gptimage.camel.error.GptImageException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.gptimage.camel.api.AsyncFailures;
import io.github.gptimage.camel.api.GenerateRequest;
import io.github.gptimage.camel.error.GptImageException;
import io.github.gptimage.camel.error.GptImageTaskStoreFullException;
import io.github.gptimage.camel.task.CallbackTokens;
import io.github.gptimage.camel.task.CompletionTarget;
import io.github.gptimage.camel.task.GptImageTaskService;
import io.github.gptimage.camel.task.PollSchedule;
import io.github.gptimage.camel.task.TaskOutcome;
import io.github.gptimage.camel.task.TaskState;
import io.github.gptimage.camel.task.TaskServiceSettings;
import io.github.gptimage.camel.task.TrackedTask;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * {@code gptimage:generate}: submits a task and sets its id as the body and the {@code CamelGptImageTaskId} header.
 * Invalid requests fail before any call is made; no thread waits for the service's answer. An accepted task is
 * recorded in the task store for its completion; with {@code waitForCompletion} the exchange itself waits for it,
 * holding no thread.
 */
public class GptImageGenerateProducer extends DefaultAsyncProducer {

    private final GptImageEndpoint endpoint;
    private final GptImageConfiguration config;
    private final GenerateRequestResolver resolver;
    private final List<String> correlationHeaders;
    private final boolean tracking;
    private GptImageTaskService service;
    private TaskServiceSettings.CallbackSettings callbacks;
    private PollSchedule pollSchedule;

    public GptImageGenerateProducer(GptImageEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
        this.resolver = new GenerateRequestResolver(config, endpoint.getComponent().getObjectMapper());
        this.correlationHeaders = config.getCorrelationHeaders() == null ? List.of()
                : Arrays.stream(config.getCorrelationHeaders().split(",")).map(String::trim)
                        .filter(name -> !name.isEmpty()).toList();
        this.tracking = config.isTrackCompletion() || config.isWaitForCompletion();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        endpoint.startTaskService();
        service = endpoint.getTaskService();
        callbacks = tracking ? service.settings().callbacks() : null;
        pollSchedule = endpoint.pollSchedule();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        GenerateRequest request;
        String callbackToken = null;
        try {
            request = resolver.resolve(exchange);
            if (callbacks != null && request.callBackUrl() == null) {
                callbackToken = CallbackTokens.next();
                request = request.toBuilder().callBackUrl(callbacks.url(callbackToken)).build();
            }
            GenerateRequestValidator.validate(request);
            if (tracking && service.isFull()) {
                throw new GptImageTaskStoreFullException(service.store().count(TaskState.PENDING)
                                                         + service.store().count(TaskState.FINAL));
            }
        } catch (GptImageException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        GenerateRequest sent = request;
        String token = callbackToken;
        Map<String, Object> correlation = correlationValues(exchange.getMessage());
        endpoint.getClient().generate(sent, endpoint.submitTimeout()).whenComplete((taskId, error) -> {
            if (error != null) {
                exchange.setException(AsyncFailures.cause(error));
                callback.done(false);
                return;
            }
            exchange.getMessage().setBody(taskId);
            exchange.getMessage().setHeader(GptImageConstants.TASK_ID, taskId);
            if (!tracking) {
                callback.done(false);
                return;
            }
            TrackedTask task = TrackedTask.accepted(taskId, endpoint.getAccount().name(), Instant.now(), sent, token,
                    correlation, pollSchedule, null);
            try {
                if (config.isWaitForCompletion()) {
                    service.await(task, new WaitingExchange(exchange, callback), Duration.ofMillis(config.getTimeout()));
                    return;
                }
                service.track(task);
            } catch (RuntimeException e) {
                // an exception thrown here would vanish in the future and leave the exchange waiting for ever
                exchange.setException(new GptImageException(0, null, taskId,
                        "GPT image task " + taskId + " was accepted (and is paid for) but could not be recorded in"
                                                              + " the task store: " + e.getMessage(), e));
            }
            callback.done(false);
        });
        return false;
    }

    /** The correlation headers' values, as String, Number or Boolean so that every store keeps them alike. */
    private Map<String, Object> correlationValues(Message message) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : correlationHeaders) {
            Object value = message.getHeader(name);
            if (value instanceof Number || value instanceof Boolean || value instanceof String) {
                values.put(name, value);
            } else if (value != null) {
                values.put(name, message.getHeader(name, String.class));
            }
        }
        return values;
    }

    /** The exchange of a waiting generate: continues its route when the task completes or the wait ends. */
    private final class WaitingExchange implements CompletionTarget {
        private final Exchange exchange;
        private final AsyncCallback callback;

        WaitingExchange(Exchange exchange, AsyncCallback callback) {
            this.exchange = exchange;
            this.callback = callback;
        }

        @Override
        public DownloadSettings downloadSettings() {
            return new DownloadSettings(config.isDownload(), config.getDownloadMaxSize(), endpoint.requestTimeout());
        }

        @Override
        public void deliver(TaskOutcome outcome, Synchronization onDone) {
            CompletionMessages.fill(exchange, outcome);
            exchange.getExchangeExtension().addOnCompletion(onDone);
            callback.done(false);
        }

        @Override
        public void abandon(GptImageException reason) {
            exchange.setException(reason);
            callback.done(false);
        }
    }
}
