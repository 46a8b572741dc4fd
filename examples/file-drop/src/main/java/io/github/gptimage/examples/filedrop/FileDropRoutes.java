package io.github.gptimage.examples.filedrop;

import java.nio.file.Path;
import java.util.ArrayList;

import io.github.gptimage.camel.GptImageConstants;
import io.github.gptimage.camel.error.GptImageRateLimitException;
import io.github.gptimage.camel.error.GptImageRetryableException;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.AggregationStrategies;
import org.apache.camel.builder.RouteBuilder;

/**
 * Prompt files in the inbox become PNG images in the outbox; a prompt that fails is moved to the error folder next to
 * a report of why.
 */
public class FileDropRoutes extends RouteBuilder {

    private final FileDropProgress progress;

    public FileDropRoutes(FileDropProgress progress) {
        this.progress = progress;
    }

    @Override
    public void configure() {
        // Final errors (a failed task, a content-policy refusal, a bad prompt file, retries exhausted) go to the
        // dead letter route, with the prompt file as it was read.
        errorHandler(deadLetterChannel("direct:failed")
                .useOriginalMessage()
                .logExhausted(false));

        // Errors that may pass (429, 455, 500, connection reset, ...) are redelivered before they count as final.
        // A redelivery re-submits the task: the failed call created none, so nothing is paid twice.
        // retryWhile looks at the exception of each attempt: a final error after a retryable one (a 500, then a
        // content-policy 400) is not redelivered, although Camel keeps this policy once it picked it.
        EarlierOutcome earlier = new EarlierOutcome(
                Path.of(getContext().resolvePropertyPlaceholders("{{gptimage.outbox}}")),
                Path.of(getContext().resolvePropertyPlaceholders("{{gptimage.error}}")));
        int redeliveries = Integer.parseInt(getContext().resolvePropertyPlaceholders("{{gptimage.redeliveries}}"));
        onException(GptImageRetryableException.class)
                .retryWhile(exchange -> exchange.getException() instanceof GptImageRetryableException
                        && exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) <= redeliveries)
                .redeliveryDelay("{{gptimage.redelivery-delay}}")
                .useExponentialBackOff()
                // waits on Camel's scheduler, not on the component's worker thread that reported the failure
                .asyncDelayedRedelivery()
                // a 429 waits as long as its Retry-After asks
                .onExceptionOccurred(FileDropRoutes::waitRetryAfter)
                .retryAttemptedLogLevel(LoggingLevel.WARN);

        // The file is deleted only when its exchange completed, after its images were written: a file still in the
        // inbox at start-up (the application was killed) is picked up again. Its idempotency key, the file's name
        // and modification time, is then known to the task store, so nothing is sent (nor paid) again: the exchange
        // waits for the task of the first submit, or gets its completion at once when that task is final. Camel's
        // own lock files, left behind by a kill, are deleted at start-up (readLockDeleteOrphanLockFiles).
        from("file:{{gptimage.inbox}}?include=.*\\.txt&delete=true&readLock=changed&readLockCheckInterval=250")
                .routeId("file-drop")
                .process(PromptFile::toRequest)
                .log("SUBMIT  ${header.CamelFileNameOnly}  [${exchangeProperty.promptSettings}] ${body}")
                // waits for the task without holding a thread; the body becomes the PNG (byte[]) or,
                // with several variants, a List<byte[]>
                .to("gptimage:generate?waitForCompletion=true&download=true"
                    + "&idempotencyKey=${header.CamelFileName}-${file:modified}")
                .choice()
                    .when(header(GptImageConstants.STATUS).isNull())
                        // a repeated submit whose task was delivered before a restart (the file was not deleted
                        // yet): the body is only the task id, its images (or its error report) were written then
                        .process(earlier::find)
                        .bean(progress, "madeBefore")
                    .when(body().isInstanceOf(byte[].class))
                        .to("file:{{gptimage.outbox}}?fileName=${file:name.noext.single}.png&tempPrefix=.part-")
                        .setBody(header(Exchange.FILE_NAME_PRODUCED))
                        .bean(progress, "succeeded")
                    .otherwise()
                        // one file per variant: sunset-1.png, sunset-2.png, ...; the body becomes their paths
                        .split(body(), AggregationStrategies.flexible()
                                .pick(header(Exchange.FILE_NAME_PRODUCED))
                                .accumulateInCollection(ArrayList.class))
                            .to("file:{{gptimage.outbox}}"
                                + "?fileName=${file:name.noext.single}-${sum(${exchangeProperty.CamelSplitIndex},1)}.png"
                                + "&tempPrefix=.part-")
                        .end()
                        .bean(progress, "succeeded")
                .end();

        from("direct:failed")
                .routeId("file-drop-failed")
                // the prompt file itself, as it was read (the inbox copy is deleted when this route is done)
                .to("file:{{gptimage.error}}")
                .setBody(simple("${exception.class.name}: ${exception.message}\n"))
                .to("file:{{gptimage.error}}?fileName=${file:name}.error.txt")
                .bean(progress, "failed");
    }

    /** Makes the next redelivery wait the Retry-After of a 429, when the service sent one. */
    static void waitRetryAfter(Exchange exchange) {
        if (exchange.getException() instanceof GptImageRateLimitException limit && limit.getRetryAfter() != null) {
            exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, limit.getRetryAfter().toMillis());
        }
    }
}
