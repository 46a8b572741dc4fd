package io.github.gptimage.camel;

import io.github.gptimage.camel.error.GptImageAuthenticationException;
import io.github.gptimage.camel.task.CompletionTarget;
import io.github.gptimage.camel.task.TaskOutcome;
import io.github.gptimage.camel.task.TaskTracker;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code from("gptimage:tasks")}: emits one exchange per tracked task that reached a final state and that no exchange
 * waits for. Each scheduled poll (option {@code delay}) makes the info calls of the tasks that are due; callbacks
 * deliver here too. A failed task arrives with its exception set, for the route's error handler.
 */
public class GptImageTasksConsumer extends ScheduledPollConsumer implements CompletionTarget {

    private static final Logger LOG = LoggerFactory.getLogger(GptImageTasksConsumer.class);

    private final GptImageEndpoint endpoint;
    private TaskTracker tracker;

    public GptImageTasksConsumer(GptImageEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        tracker = endpoint.getTracker();
        tracker.attachConsumer(this);
        if (!(getExceptionHandler() instanceof AuthFailureReportedOnce)) {
            setExceptionHandler(new AuthFailureReportedOnce(getExceptionHandler()));
        }
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        // detach first: a completion that arrives while the route stops stays in the store for the next consumer
        if (tracker != null) {
            tracker.detachConsumer(this);
        }
        super.doStop();
    }

    @Override
    protected int poll() {
        return tracker.pollDue(endpoint.getConfiguration().getMaxConcurrentPolls());
    }

    @Override
    public DownloadSettings downloadSettings() {
        GptImageConfiguration config = endpoint.getConfiguration();
        return new DownloadSettings(config.isDownload(), config.getDownloadMaxSize());
    }

    @Override
    public void deliver(TaskOutcome outcome) {
        Exchange exchange = createExchange(true);
        CompletionMessages.fill(exchange, outcome);
        getAsyncProcessor().process(exchange, doneSync -> {
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Error processing the completion of GPT image task "
                                                      + outcome.info().taskId(), exchange, exchange.getException());
            }
            releaseExchange(exchange, false);
        });
    }

    /**
     * Once the key is refused, every poll fails with the tracker's same exception, so that the consumer's health check
     * stays DOWN; the exception handler sees it once rather than at every poll (the tracker already logged it).
     */
    private static final class AuthFailureReportedOnce implements ExceptionHandler {
        private final ExceptionHandler delegate;
        private volatile Throwable reported;

        AuthFailureReportedOnce(ExceptionHandler delegate) {
            this.delegate = delegate;
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
                if (exception == reported) {
                    LOG.debug("Polling still stopped: {}", exception.getMessage());
                    return;
                }
                reported = exception;
            }
            delegate.handleException(message, exchange, exception);
        }
    }
}
