package io.github.gptimage.camel.task;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import io.github.gptimage.camel.api.AsyncFailures;
import io.github.gptimage.camel.api.DownloadedImage;
import io.github.gptimage.camel.api.GenerateRequest;
import io.github.gptimage.camel.api.GptImageClient;
import io.github.gptimage.camel.api.TaskInfo;

/**
 * The client of an account as every caller gets it (producers, the poller, callback confirmations): each result is
 * recorded in the account's {@link AccountHealth} and in the {@link TaskMetrics} before the caller sees it. The
 * returned futures are the delegate's, so their stages still run on the worker pool.
 */
final class ObservedClient implements GptImageClient {

    private final GptImageClient delegate;
    private final String account;
    private final AccountHealth health;
    private final TaskMetrics metrics;

    ObservedClient(GptImageClient delegate, String account, AccountHealth health, TaskMetrics metrics) {
        this.delegate = delegate;
        this.account = account;
        this.health = health;
        this.metrics = metrics;
    }

    @Override
    public CompletableFuture<String> generate(GenerateRequest request, Duration timeout) {
        long started = System.nanoTime();
        return delegate.generate(request, timeout).whenComplete((taskId, error) -> {
            Throwable cause = AsyncFailures.cause(error);
            observe(AccountHealth.Operation.GENERATE, cause,
                    () -> metrics.submitted(account, Duration.ofNanos(System.nanoTime() - started), cause));
        });
    }

    @Override
    public CompletableFuture<TaskInfo> info(String taskId, Duration timeout) {
        return delegate.info(taskId, timeout).whenComplete((info, error) -> {
            Throwable cause = AsyncFailures.cause(error);
            observe(AccountHealth.Operation.INFO, cause, () -> metrics.infoCalled(account, cause));
        });
    }

    @Override
    public CompletableFuture<DownloadedImage> download(String url, long maxBytes, Duration timeout) {
        return delegate.download(url, maxBytes, timeout).whenComplete((image, error) -> {
            Throwable cause = AsyncFailures.cause(error);
            observe(AccountHealth.Operation.DOWNLOAD, cause, () -> metrics.downloaded(account,
                    image != null && image.bytes() != null ? image.bytes().length : 0, cause));
        });
    }

    @Override
    public void cancelCallsInFlight() {
        delegate.cancelCallsInFlight();
    }

    /** Records a result; whatever fails in recording never changes the caller's result. */
    private void observe(AccountHealth.Operation operation, Throwable error, Runnable measure) {
        try {
            if (error == null) {
                health.succeeded(operation, Instant.now());
            } else {
                health.failed(operation, error, Instant.now());
            }
            measure.run();
        } catch (RuntimeException ignored) {
            // observing is best effort
        }
    }
}
