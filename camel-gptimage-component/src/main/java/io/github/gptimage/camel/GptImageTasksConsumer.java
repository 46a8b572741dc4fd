package io.github.gptimage.camel;

import io.github.gptimage.camel.error.GptImageAuthenticationException;
import io.github.gptimage.camel.error.GptImageException;
import io.github.gptimage.camel.task.Account;
import io.github.gptimage.camel.task.CompletionTarget;
import io.github.gptimage.camel.task.GptImageTaskService;
import io.github.gptimage.camel.task.TaskOutcome;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code from("gptimage:tasks")}: emits one exchange per task of its store that reached a final state and that no
 * exchange waits for. Completions learned on this node (by the store's poller or a callback) are emitted at once;
 * each scheduled poll (option {@code delay}) takes the final tasks that wait in the store: recorded before the
 * consumer started, by another node, or due again after a completion exchange failed unhandled (then with
 * {@code CamelGptImageRedelivered}). A task leaves the store once its exchange completed. A failed task arrives with
 * its exception set, for the route's error handler.
 */
public class GptImageTasksConsumer extends ScheduledPollConsumer implements CompletionTarget {

    private static final Logger LOG = LoggerFactory.getLogger(GptImageTasksConsumer.class);
    /** Final tasks taken from the store per poll. */
    private static final int BATCH = 100;

    private final GptImageEndpoint endpoint;
    private GptImageTaskService service;
    private PollFailuresReportedOnce pollFailures;

    public GptImageTasksConsumer(GptImageEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        endpoint.startTaskService();
        service = endpoint.getTaskService();
        service.attachConsumer(this);
        if (!(getExceptionHandler() instanceof PollFailuresReportedOnce)) {
            setExceptionHandler(new PollFailuresReportedOnce(getExceptionHandler()));
        }
        pollFailures = (PollFailuresReportedOnce) getExceptionHandler();
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        // detach first: a completion that arrives while the route stops stays in the store for the next consumer
        if (service != null) {
            service.detachConsumer(this);
        }
        super.doStop();
    }

    /**
     * Delivers the final tasks waiting in the store; fails while an account's key is refused, so that the consumer's
     * health check is DOWN until it works again.
     */
    @Override
    protected int poll() {
        for (Account account : service.accounts()) {
            GptImageAuthenticationException refused = account.refused();
            if (refused != null) {
                throw refused;
            }
        }
        int delivered = service.deliverWaitingFinals(BATCH);
        pollFailures.pollSucceeded();
        return delivered;
    }

    @Override
    public DownloadSettings downloadSettings() {
        GptImageConfiguration config = endpoint.getConfiguration();
        return new DownloadSettings(config.isDownload(), config.getDownloadMaxSize(), endpoint.requestTimeout());
    }

    @Override
    public void deliver(TaskOutcome outcome, Synchronization onDone) {
        Exchange exchange = createExchange(false);
        CompletionMessages.fill(exchange, outcome);
        exchange.getExchangeExtension().addOnCompletion(onDone);
        getAsyncProcessor().process(exchange, doneSync -> {
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Error processing the completion of GPT image task "
                                                      + outcome.task().taskId(), exchange, exchange.getException());
            }
            releaseExchange(exchange, false);
        });
    }

    @Override
    public void abandon(GptImageException reason) {
        // the consumer never waits for one task
    }

    /**
     * Reports a poll failure once per outage rather than at every poll: once the key is refused, every poll fails with
     * the service's same exception, so that the consumer's health check stays DOWN (the service already logged it);
     * while the task store is away, every poll fails until it answers again (the service logs the outage once too).
     * Failures of completion exchanges are all reported.
     */
    private static final class PollFailuresReportedOnce implements ExceptionHandler {
        private final ExceptionHandler delegate;
        private volatile Throwable reportedAuthFailure;
        private volatile boolean pollsFailing;

        PollFailuresReportedOnce(ExceptionHandler delegate) {
            this.delegate = delegate;
        }

        void pollSucceeded() {
            if (pollsFailing) {
                pollsFailing = false;
                LOG.info("Polling GPT image completions works again");
            }
        }

        @Override
        public void handleException(Throwable exception) {
            handleException(null, null, exception);
        }

        @Override
        public void handleException(String message, Throwable exception) {
            handleException(message, null, exception);
        }

        @Override
        public void handleException(String message, Exchange exchange, Throwable exception) {
            if (exception instanceof GptImageAuthenticationException) {
                if (exception == reportedAuthFailure) {
                    LOG.debug("Polling still stopped: {}", exception.getMessage());
                    return;
                }
                reportedAuthFailure = exception;
            } else if (exchange == null) {
                if (pollsFailing) {
                    LOG.debug("Polling GPT image completions still fails: {}", exception.getMessage());
                    return;
                }
                pollsFailing = true;
            }
            delegate.handleException(message, exchange, exception);
        }
    }
}
