package io.github.gptimage.examples.esb;

import java.time.Instant;

import io.github.gptimage.camel.error.GptImageBadRequestException;
import io.github.gptimage.camel.error.GptImageException;
import io.github.gptimage.camel.error.GptImageRetryableException;
import io.github.gptimage.camel.error.GptImageValidationException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** An order that could not be completed, as written to the dead-letter folder. */
public record DeadLetter(String orderId, String taskId, String stage, String error, String message, String failedAt) {

    /** The exchange property naming where an order failed: intake (submit) or completion (task or delivery). */
    public static final String STAGE = "orderStage";

    /**
     * Camel processor of the dead letter channel: the body becomes the dead letter; an order that failed at intake
     * also gets its HTTP answer (422 refused by the service, 503 service unavailable, 502 otherwise).
     */
    public static void fromFailure(Exchange exchange) {
        Message message = exchange.getMessage();
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String taskId = message.getHeader(io.github.gptimage.camel.GptImageConstants.TASK_ID, String.class);
        if (taskId == null && cause instanceof GptImageException known) {
            taskId = known.getTaskId();
        }
        String stage = exchange.getProperty(STAGE, "completion", String.class);
        message.setBody(new DeadLetter(message.getHeader(ImageOrder.ORDER_ID, String.class), taskId, stage,
                cause == null ? null : cause.getClass().getName(), cause == null ? null : cause.getMessage(),
                Instant.now().toString()));
        if ("intake".equals(stage)) {
            int status = cause instanceof GptImageBadRequestException || cause instanceof GptImageValidationException
                    ? 422 : cause instanceof GptImageRetryableException ? 503 : 502;
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        }
    }
}
