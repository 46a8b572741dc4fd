package io.github.gptimage.camel;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.gptimage.camel.api.AsyncFailures;
import io.github.gptimage.camel.api.GenerateRequest;
import io.github.gptimage.camel.error.GptImageBudgetExceededException;
import io.github.gptimage.camel.error.GptImageException;
import io.github.gptimage.camel.error.GptImageRateLimitException;
import io.github.gptimage.camel.error.GptImageSubmitInDoubtException;
import io.github.gptimage.camel.error.GptImageSubmitInProgressException;
import io.github.gptimage.camel.error.GptImageTaskStoreException;
import io.github.gptimage.camel.error.GptImageTaskStoreFullException;
import io.github.gptimage.camel.task.CallbackTokens;
import io.github.gptimage.camel.task.CompletionTarget;
import io.github.gptimage.camel.task.CreditBudget;
import io.github.gptimage.camel.task.CreditCharge;
import io.github.gptimage.camel.task.GptImageTaskService;
import io.github.gptimage.camel.task.PollSchedule;
import io.github.gptimage.camel.task.SubmitAttempt;
import io.github.gptimage.camel.task.SubmitLimits;
import io.github.gptimage.camel.task.SubmitRate;
import io.github.gptimage.camel.task.TaskOutcome;
import io.github.gptimage.camel.task.TaskServiceSettings;
import io.github.gptimage.camel.task.TaskState;
import io.github.gptimage.camel.task.TrackedTask;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Message;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code gptimage:generate}: submits a task and sets its id as the body and the {@code CamelGptImageTaskId} header.
 * Invalid requests fail before any call is made; no thread waits for the service's answer. An accepted task is
 * recorded in the task store for its completion; with {@code waitForCompletion} the exchange itself waits for it,
 * holding no thread. With an idempotency key, the submit is recorded before it is sent, and a key already known sends
 * nothing.
 */
public class GptImageGenerateProducer extends DefaultAsyncProducer {

    private static final Logger LOG = LoggerFactory.getLogger(GptImageGenerateProducer.class);

    /** How long past its submit timeout a submit still sending is taken for one whose node stopped. */
    private static final Duration STALE_SUBMIT_MARGIN = Duration.ofMinutes(1);

    private final GptImageEndpoint endpoint;
    private final GptImageConfiguration config;
    private final GenerateRequestResolver resolver;
    private final List<String> correlationHeaders;
    private final boolean tracking;
    private GptImageTaskService service;
    private TaskServiceSettings.CallbackSettings callbacks;
    private PollSchedule pollSchedule;
    private Expression idempotencyKey;
    private final GptImageHealth.Producer health = new GptImageHealth.Producer();

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
        if (config.getIdempotencyKey() != null) {
            idempotencyKey = getEndpoint().getCamelContext().resolveLanguage("simple")
                    .createExpression(config.getIdempotencyKey());
        }
        declareSubmitLimits();
        health.start(endpoint);
    }

    /** Declares this endpoint's credit budget and submit rate as its account's; a budget needs a store that keeps it. */
    private void declareSubmitLimits() {
        CreditBudget budget = config.getCreditBudget() > 0
                ? new CreditBudget(config.getCreditBudget(), Duration.ofMillis(config.getCreditBudgetPeriod())) : null;
        endpoint.getAccount().limitSubmits(new SubmitLimits(budget, config.getMaxSubmitsPerSecond()),
                URISupport.sanitizeUri(endpoint.getEndpointUri()));
        if (budget == null) {
            return;
        }
        try {
            service.store().creditsSpent(endpoint.getAccount().name(), budget.window(Instant.now()).start());
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException("creditBudget needs a task store that keeps what each account spent:"
                                               + " " + service.store() + " does not (the in-memory and JDBC stores"
                                               + " do)", e);
        } catch (RuntimeException e) {
            // the store is down now: each submit charges it, and fails with a clear error while it stays down
            LOG.warn("The GPT image task store cannot tell what account {} spent: {}", endpoint.getAccount().name(),
                    e.getMessage());
        }
    }

    @Override
    protected void doStop() throws Exception {
        health.stop();
        super.doStop();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Submit submit;
        try {
            submit = prepare(exchange);
        } catch (GptImageException e) {
            service.metrics().notSent(endpoint.getAccount().name(), e);
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        boolean budgeted = endpoint.getAccount().budget() != null;
        if (submit.key() == null && !budgeted) {
            send(exchange, callback, submit);
            return false;
        }
        // the store may block (JDBC): never on the caller's thread, which may be an HTTP server's
        Runnable storeFirst = submit.key() != null ? () -> sendOnce(exchange, callback, submit)
                : () -> chargeAndSend(exchange, callback, submit);
        if (!service.execute(storeFirst)) {
            exchange.setException(new GptImageTaskStoreException(null, "The GPT image task service is stopping", null));
            callback.done(true);
            return true;
        }
        return false;
    }

    /** The request as it will be sent, validated, with its callback token and idempotency key. */
    private Submit prepare(Exchange exchange) {
        GenerateRequest request = resolver.resolve(exchange);
        String token = null;
        if (callbacks != null && request.callBackUrl() == null) {
            token = CallbackTokens.next();
            request = request.toBuilder().callBackUrl(callbacks.url(token)).build();
        }
        GenerateRequestValidator.validate(request);
        String key = exchange.getMessage().getHeader(GptImageConstants.IDEMPOTENCY_KEY, String.class);
        if (key == null && idempotencyKey != null) {
            key = idempotencyKey.evaluate(exchange, String.class);
        }
        if (key != null && !tracking) {
            throw new GptImageException(0, null, null, "An idempotency key needs trackCompletion=true: the key is kept"
                                                       + " with its task", null);
        }
        if (tracking) {
            try {
                if (service.isFull()) {
                    throw new GptImageTaskStoreFullException(service.store().count(TaskState.PENDING)
                                                             + service.store().count(TaskState.FINAL));
                }
            } catch (GptImageException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new GptImageTaskStoreException(null, "The GPT image task store failed, nothing was sent: "
                                                           + e.getMessage(), e);
            }
        }
        TrackedTask template = TrackedTask.accepted(null, endpoint.getAccount().name(), Instant.now(), request,
                token != null ? CallbackTokens.digest(token) : null, correlationValues(exchange.getMessage()),
                pollSchedule, key).withCredits(expectedCredits(request));
        return new Submit(request, template, key, null);
    }

    /** Sends a keyed submit unless its key is known: then the exchange gets the task of the earlier submit. */
    private void sendOnce(Exchange exchange, AsyncCallback callback, Submit submit) {
        String account = submit.template().account();
        Optional<SubmitAttempt> earlier;
        try {
            earlier = service.store().recordAttempt(new SubmitAttempt(account, submit.key(), Instant.now(),
                    SubmitAttempt.AttemptState.SENDING, null, submit.template()));
        } catch (RuntimeException e) {
            fail(exchange, callback, new GptImageTaskStoreException(null,
                    "The GPT image task store failed, nothing was sent: " + e.getMessage(), e));
            return;
        }
        if (earlier.isEmpty()) {
            chargeAndSend(exchange, callback, submit);
            return;
        }
        SubmitAttempt known = earlier.get();
        SubmitAttempt.AttemptState state = known.state();
        if (state == SubmitAttempt.AttemptState.SENDING
            && known.startedAt().plus(endpoint.submitTimeout()).plus(STALE_SUBMIT_MARGIN).isBefore(Instant.now())) {
            // no answer recorded long after its submit timeout: its node stopped while sending, the task may exist
            service.store().markInDoubt(account, submit.key());
            state = SubmitAttempt.AttemptState.IN_DOUBT;
        }
        switch (state) {
            case ACCEPTED -> {
                exchange.getMessage().setHeader(GptImageConstants.REPEATED_SUBMIT, true);
                exchange.getMessage().setHeader(GptImageConstants.CREDITS, known.template().credits());
                accepted(exchange, callback, known.taskId(), null, true);
            }
            case SENDING -> fail(exchange, callback, new GptImageSubmitInProgressException(submit.key(),
                    "is under way since " + known.startedAt()));
            case IN_DOUBT -> {
                if (config.isResubmitInDoubt()) {
                    service.store().forgetAttempt(account, submit.key());
                    sendOnce(exchange, callback, submit);
                } else if (callbacks != null) {
                    fail(exchange, callback, new GptImageSubmitInProgressException(submit.key(),
                            "lost its answer; its callback may still report the task"));
                } else {
                    fail(exchange, callback, new GptImageSubmitInDoubtException("The earlier GPT image submit with"
                            + " idempotency key '" + submit.key() + "' lost its answer after the request was sent:"
                            + " its task may exist and be paid, so nothing was sent (resubmitInDoubt=true sends"
                            + " again)", submit.key(), null));
                }
            }
        }
    }

    /**
     * Charges the submit's credits to its account's budget, if it has one, and sends it; a submit past the budget
     * fails, sending nothing. Runs on the worker pool: the store may block.
     */
    private void chargeAndSend(Exchange exchange, AsyncCallback callback, Submit submit) {
        CreditBudget budget = endpoint.getAccount().budget();
        if (budget == null) {
            send(exchange, callback, submit);
            return;
        }
        String account = submit.template().account();
        long credits = submit.template().credits();
        CreditBudget.Window window = budget.window(Instant.now());
        CreditCharge charge;
        try {
            charge = service.store().chargeCredits(account, window.start(), window.end(), credits, budget.credits());
        } catch (RuntimeException e) {
            notSent(exchange, callback, submit, new GptImageTaskStoreException(null, "The GPT image task store failed"
                    + " to charge the credit budget, nothing was sent: " + e.getMessage(), e));
            return;
        }
        if (!charge.charged()) {
            notSent(exchange, callback, submit, new GptImageBudgetExceededException(account, budget.credits(),
                    budget.period(), charge.spent(), credits, window.end()));
            return;
        }
        send(exchange, callback, submit.charged(window));
    }

    /** Fails a submit that was not sent, giving back what it took. */
    private void notSent(Exchange exchange, AsyncCallback callback, Submit submit, GptImageException error) {
        try {
            giveBack(submit);
        } catch (RuntimeException e) {
            error.addSuppressed(e);
        }
        service.metrics().notSent(submit.template().account(), error);
        fail(exchange, callback, error);
    }

    /**
     * The submit certainly created nothing: its credits are refunded and its attempt forgotten, so that nothing counts
     * as spent and a later submit with its key may send.
     */
    private void giveBack(Submit submit) {
        String account = submit.template().account();
        if (submit.window() != null) {
            service.store().refundCredits(account, submit.window().start(), submit.template().credits());
        }
        if (submit.key() != null) {
            service.store().forgetAttempt(account, submit.key());
        }
    }

    /** Sends the submit in the account's next free slot when it has a submit rate, holding no thread until then. */
    private void send(Exchange exchange, AsyncCallback callback, Submit submit) {
        SubmitRate rate = endpoint.getAccount().submitRate();
        Duration wait = rate != null ? rate.reserve() : Duration.ZERO;
        if (wait.isZero()) {
            dispatch(exchange, callback, submit);
        } else {
            later(exchange, callback, submit, wait);
        }
    }

    private void later(Exchange exchange, AsyncCallback callback, Submit submit, Duration wait) {
        service.later(() -> dispatch(exchange, callback, submit), wait,
                () -> notSent(exchange, callback, submit, new GptImageTaskStoreException(null,
                        "The GPT image task service stopped before the generate was sent: nothing was sent", null)));
    }

    private void dispatch(Exchange exchange, AsyncCallback callback, Submit submit) {
        // after a 429's Retry-After the account's submits wait, on the scheduler, instead of being refused again
        Instant now = Instant.now();
        Instant paused = endpoint.getAccount().pausedUntil(now);
        if (paused != null) {
            later(exchange, callback, submit, Duration.between(now, paused));
            return;
        }
        String tokenDigest = submit.template().callbackToken();
        service.submitting(tokenDigest);
        endpoint.getClient().generate(submit.request(), endpoint.submitTimeout()).whenComplete((taskId, error) -> {
            if (error == null) {
                try {
                    accepted(exchange, callback, taskId, submit.template().withTaskId(taskId), false);
                } finally {
                    service.submitted(tokenDigest);
                }
                return;
            }
            service.submitted(tokenDigest);
            Throwable cause = AsyncFailures.cause(error);
            if (cause instanceof GptImageRateLimitException limited && limited.getRetryAfter() != null) {
                endpoint.getAccount().pause(Instant.now().plus(limited.getRetryAfter()));
            }
            try {
                if (cause instanceof GptImageSubmitInDoubtException) {
                    // the task may exist and be paid: its credits stay spent, its key stays taken
                    if (submit.key() != null) {
                        service.store().markInDoubt(submit.template().account(), submit.key());
                        cause = new GptImageSubmitInDoubtException(cause.getMessage(), submit.key(), cause);
                    }
                } else {
                    giveBack(submit);
                }
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
            }
            exchange.setException(cause);
            callback.done(false);
        });
    }

    /**
     * The exchange gets the task id; a new task is recorded (and waited for), a known one only waited for. A task the
     * store cannot take now is kept by the service and recorded when the store answers again.
     */
    private void accepted(Exchange exchange, AsyncCallback callback, String taskId, TrackedTask newTask,
                          boolean known) {
        exchange.getMessage().setBody(taskId);
        exchange.getMessage().setHeader(GptImageConstants.TASK_ID, taskId);
        if (newTask != null) {
            exchange.getMessage().setHeader(GptImageConstants.CREDITS, newTask.credits());
            service.metrics().charged(newTask.account(), newTask.credits());
        }
        if (!tracking) {
            callback.done(false);
            return;
        }
        Duration timeout = Duration.ofMillis(config.getTimeout());
        try {
            if (known) {
                if (!config.isWaitForCompletion() || !service.awaitKnown(taskId, newWaiter(exchange, callback), timeout)) {
                    callback.done(false);
                }
                return;
            }
            if (config.isWaitForCompletion()) {
                service.await(newTask, newWaiter(exchange, callback), timeout);
                return;
            }
            service.track(newTask);
        } catch (RuntimeException e) {
            if (newTask != null) {
                service.recordLater(newTask);
            }
            exchange.setException(new GptImageTaskStoreException(taskId, "GPT image task " + taskId + " was accepted"
                    + " (and is paid for) but the task store failed: it is kept and recorded when the store answers"
                    + " again; " + (newTask != null && newTask.idempotencyKey() != null
                            ? "a retry with the same idempotency key gets it without paying again"
                            : "a retry without an idempotency key submits and pays again") + ": " + e.getMessage(), e));
        }
        callback.done(false);
    }

    private CompletionTarget newWaiter(Exchange exchange, AsyncCallback callback) {
        return new WaitingExchange(exchange, callback);
    }

    private static void fail(Exchange exchange, AsyncCallback callback, GptImageException error) {
        exchange.setException(error);
        callback.done(false);
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

    /** What a generate of {@code request} is expected to cost: every variant is paid. */
    private long expectedCredits(GenerateRequest request) {
        return (long) config.getCreditsPerImage() * (request.nVariants() != null ? request.nVariants() : 1);
    }

    /**
     * A validated submit: the request as sent, the task it becomes without its id, its idempotency key, and the budget
     * window its credits were charged to (null when not charged).
     */
    private record Submit(GenerateRequest request, TrackedTask template, String key, CreditBudget.Window window) {

        Submit charged(CreditBudget.Window to) {
            return new Submit(request, template, key, to);
        }
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
