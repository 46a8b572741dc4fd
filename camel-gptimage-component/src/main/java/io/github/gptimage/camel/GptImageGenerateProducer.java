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
import io.github.gptimage.camel.task.CallbackTokens;
import io.github.gptimage.camel.task.CompletionTarget;
import io.github.gptimage.camel.task.PendingTask;
import io.github.gptimage.camel.task.PollSchedule;
import io.github.gptimage.camel.task.TaskOutcome;
import io.github.gptimage.camel.task.TaskTracker;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
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
    private final GptImageComponent component;
    private final GenerateRequestResolver resolver;
    private final List<String> correlationHeaders;
    private TaskTracker tracker;
    private PollSchedule pollSchedule;

    public GptImageGenerateProducer(GptImageEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
        this.component = endpoint.getComponent();
        this.resolver = new GenerateRequestResolver(config, endpoint.getComponent().getObjectMapper());
        this.correlationHeaders = config.getCorrelationHeaders() == null ? List.of()
                : Arrays.stream(config.getCorrelationHeaders().split(",")).map(String::trim)
                        .filter(name -> !name.isEmpty()).toList();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (config.isTrackCompletion() || config.isWaitForCompletion()) {
            tracker = endpoint.getTracker();
            pollSchedule = endpoint.pollSchedule();
        }
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        GenerateRequest request;
        String callbackToken = null;
        try {
            request = resolver.resolve(exchange);
            if (tracker != null && component.getCallbackBaseUrl() != null && request.callBackUrl() == null) {
                callbackToken = CallbackTokens.next();
                request = request.toBuilder().callBackUrl(callbackUrl(callbackToken)).build();
            }
            GenerateRequestValidator.validate(request);
        } catch (GptImageException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        GenerateRequest sent = request;
        String token = callbackToken;
        Map<String, Object> correlation = correlationValues(exchange.getMessage());
        endpoint.getClient().generate(sent).whenComplete((taskId, error) -> {
            if (error != null) {
                exchange.setException(AsyncFailures.cause(error));
                callback.done(false);
                return;
            }
            exchange.getMessage().setBody(taskId);
            exchange.getMessage().setHeader(GptImageConstants.TASK_ID, taskId);
            if (tracker == null) {
                callback.done(false);
                return;
            }
            Instant now = Instant.now();
            PendingTask task = new PendingTask(taskId, now, sent, token, correlation, pollSchedule,
                                               pollSchedule.firstPoll(now), 0);
            try {
                if (config.isWaitForCompletion()) {
                    tracker.await(task, new WaitingExchange(exchange, callback),
                            Duration.ofMillis(config.getTimeout()));
                    return;
                }
                tracker.track(task);
            } catch (RuntimeException e) {
                // an exception thrown here would vanish in the future and leave the exchange waiting for ever
                exchange.setException(new GptImageException(0, null, taskId,
                        "GPT image task " + taskId + " was accepted but could not be tracked: " + e.getMessage(), e));
            }
            callback.done(false);
        });
        return false;
    }

    private String callbackUrl(String token) {
        String base = component.getCallbackBaseUrl();
        String path = component.getCallbackPath();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
               + (path.startsWith("/") ? path : "/" + path) + "/" + token;
    }

    private Map<String, Object> correlationValues(Message message) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : correlationHeaders) {
            Object value = message.getHeader(name);
            if (value != null) {
                values.put(name, value);
            }
        }
        return values;
    }

    /** The exchange of a waiting generate: continues its route when the task completes or the wait times out. */
    private final class WaitingExchange implements CompletionTarget {
        private final Exchange exchange;
        private final AsyncCallback callback;

        WaitingExchange(Exchange exchange, AsyncCallback callback) {
            this.exchange = exchange;
            this.callback = callback;
        }

        @Override
        public DownloadSettings downloadSettings() {
            return new DownloadSettings(config.isDownload(), config.getDownloadMaxSize());
        }

        @Override
        public void deliver(TaskOutcome outcome) {
            CompletionMessages.fill(exchange, outcome);
            callback.done(false);
        }
    }
}
