package io.github.gptimage.examples.esb;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Map;

import com.fasterxml.jackson.core.JacksonException;
import io.github.gptimage.camel.GptImageConstants;
import io.github.gptimage.camel.error.GptImageRateLimitException;
import io.github.gptimage.camel.error.GptImageRetryableException;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.model.dataformat.JsonLibrary;
import org.apache.hc.core5.http.NoHttpResponseException;

/**
 * Intake: {@code POST /orders} submits the order's image task and answers 202 at once. Each route builder has its own
 * error handling, so the two halves are two classes.
 */
public final class OrderRoutes {

    private OrderRoutes() {
    }

    /** {@code esb.redeliveries}: how many times an error that may pass is redelivered. */
    static int redeliveries(RouteBuilder routes) {
        return Integer.parseInt(routes.getContext().resolvePropertyPlaceholders("{{esb.redeliveries}}"));
    }

    /** How many redeliveries were made, the one now being decided on included. */
    static int redeliveryCount(Exchange exchange) {
        return exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
    }

    /**
     * Whether an attempt that failed with {@code failure} (or a cause of it) may succeed later: a retryable API error, a
     * downstream system unreachable, too slow or answering 5xx. Only the cause chain counts, not the suppressed
     * exceptions, where Camel keeps the previous attempt's failure.
     */
    static boolean mayPass(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof GptImageRetryableException || e instanceof ConnectException
                || e instanceof SocketTimeoutException || e instanceof NoHttpResponseException
                || e instanceof HttpOperationFailedException http && http.getStatusCode() >= 500) {
                return true;
            }
        }
        return false;
    }

    /** Makes the next redelivery wait the Retry-After of a 429, when the service sent one. */
    static void waitRetryAfter(Exchange exchange) {
        if (exchange.getException() instanceof GptImageRateLimitException limit && limit.getRetryAfter() != null) {
            exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, limit.getRetryAfter().toMillis());
        }
    }

    /**
     * Orders in: validate, submit (not waiting), answer 202 with the task id; an order posted again is answered 200
     * with the task of the first post.
     */
    public static class Intake extends RouteBuilder {
        private static final String ACCEPTED_STATUS = "orderAcceptedStatus";

        @Override
        public void configure() {
            errorHandler(deadLetterChannel("direct:dead-letter").logExhausted(false));

            // a bad order never reaches the API and is the client's problem: 400, no dead letter
            onException(ImageOrder.InvalidOrderException.class, JacksonException.class)
                    .handled(true)
                    .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(400))
                    .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                    .setBody(exchange -> Map.of("error", exchange.getProperty(Exchange.EXCEPTION_CAUGHT,
                            Exception.class).getMessage()))
                    .marshal().json(JsonLibrary.Jackson);

            // 429, 455, 500, connection errors: the call created no task, so submitting again is not paid twice.
            // retryWhile looks at each attempt's exception: a final error after a retryable one (a 500, then a
            // content-policy 400) is dead-lettered at once, although Camel keeps this policy once it picked it.
            int redeliveries = redeliveries(this);
            onException(GptImageRetryableException.class)
                    .retryWhile(exchange -> exchange.getException() instanceof GptImageRetryableException
                            && redeliveryCount(exchange) <= redeliveries)
                    .redeliveryDelay("{{esb.redelivery-delay}}")
                    .useExponentialBackOff()
                    // waits on Camel's scheduler, not on the component's worker thread that reported the failure
                    .asyncDelayedRedelivery()
                    // a 429 waits as long as its Retry-After asks
                    .onExceptionOccurred(OrderRoutes::waitRetryAfter)
                    .retryAttemptedLogLevel(LoggingLevel.WARN);

            rest("/orders")
                    .post().consumes("application/json").produces("application/json")
                    .to("direct:submit-order");

            from("direct:submit-order").routeId("order-intake")
                    .setProperty(DeadLetter.STAGE, constant("intake"))
                    .unmarshal().json(JsonLibrary.Jackson, ImageOrder.class)
                    .process(ImageOrder::toRequest)
                    .log("order ${header.orderId}: submitting \"${body}\"")
                    // not waiting: the completion arrives later, by callback, at the gptimage:tasks consumer,
                    // with the orderId header restored. The order id is the idempotency key: an order posted again
                    // (its answer was lost, a client retried) gets the task of the first post, nothing is paid twice;
                    // and the submit is recorded before it is sent, so a callback that comes before the answer
                    // finds its task
                    .to("gptimage:generate?correlationHeaders=" + ImageOrder.ORDER_ID
                        + "&idempotencyKey=${header." + ImageOrder.ORDER_ID + "}")
                    .choice()
                        .when(header(GptImageConstants.REPEATED_SUBMIT).isEqualTo(true))
                            .log("order ${header.orderId}: posted again, already task ${header.CamelGptImageTaskId}:"
                                 + " nothing sent")
                            .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(200))
                            .setProperty(ACCEPTED_STATUS, constant("ALREADY_ACCEPTED"))
                        .otherwise()
                            .log("order ${header.orderId}: task ${header.CamelGptImageTaskId} submitted")
                            .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202))
                            .setProperty(ACCEPTED_STATUS, constant("ACCEPTED"))
                    .end()
                    .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                    .setBody(exchange -> new OrderAccepted(exchange.getMessage().getHeader(ImageOrder.ORDER_ID,
                            String.class), exchange.getMessage().getHeader(GptImageConstants.TASK_ID, String.class),
                            exchange.getProperty(ACCEPTED_STATUS, String.class)))
                    .marshal().json(JsonLibrary.Jackson);
        }
    }

    /** Completions in (by callback), results out (HTTP POST downstream), and the dead letter channel. */
    public static class Completion extends RouteBuilder {
        @Override
        public void configure() {
            errorHandler(deadLetterChannel("direct:dead-letter").logExhausted(false));

            // the downstream system is down, slow or overloaded (unreachable, timed out, 5xx): try again; a 4xx
            // answer is final, also after a 5xx (retryWhile looks at each attempt's exception)
            int redeliveries = redeliveries(this);
            onException(ConnectException.class, SocketTimeoutException.class, NoHttpResponseException.class,
                        HttpOperationFailedException.class, GptImageRetryableException.class)
                    .retryWhile(exchange -> mayPass(exchange.getException())
                            && redeliveryCount(exchange) <= redeliveries)
                    .redeliveryDelay("{{esb.redelivery-delay}}")
                    .useExponentialBackOff()
                    // waits on Camel's scheduler, not on the component's worker thread that reported the failure
                    .asyncDelayedRedelivery()
                    .retryAttemptedLogLevel(LoggingLevel.WARN);

            // every task no exchange waits for; a failed task arrives with GptImageGenerationFailedException set,
            // which this route's dead letter channel takes
            from("gptimage:tasks").routeId("order-completion")
                    .log("order ${header.orderId}: task ${header.CamelGptImageTaskId} ${header.CamelGptImageStatus}")
                    .process(OrderResult::fromCompletion)
                    .marshal().json(JsonLibrary.Jackson)
                    .removeHeaders("*", ImageOrder.ORDER_ID)
                    .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                    .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                    .to("{{esb.result-url}}")
                    .log("order ${header.orderId}: result delivered to {{esb.result-url}}");

            // dead letter channel of both halves: one JSON file per order
            from("direct:dead-letter").routeId("order-dead-letter")
                    // a failure here must not loop back into the dead letter channel
                    .errorHandler(noErrorHandler())
                    .process(DeadLetter::fromFailure)
                    .marshal().json(JsonLibrary.Jackson)
                    .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                    .to("file:{{esb.dead-letter-dir}}?fileName=${header.orderId}.json")
                    .log(LoggingLevel.WARN, "order ${header.orderId}: dead-lettered to ${header.CamelFileNameProduced}: "
                                            + "${body}");

            // a stand-in for the downstream system, so that the application works on its own
            from("platform-http:/demo/image-results?httpMethodRestrict=POST").routeId("demo-downstream")
                    .log("downstream system received: ${body}")
                    .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(204))
                    .setBody(constant(""));
        }
    }
}
