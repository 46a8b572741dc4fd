package io.github.gptimage.examples.esb;

import java.util.List;

import io.github.gptimage.camel.GptImageConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** What is posted downstream when an order's image is ready. */
public record OrderResult(String orderId, String taskId, String status, List<String> resultUrls) {

    /** Camel processor: the completion exchange of the tasks consumer becomes the result. */
    @SuppressWarnings("unchecked")
    public static void fromCompletion(Exchange exchange) {
        Message message = exchange.getMessage();
        message.setBody(new OrderResult(message.getHeader(ImageOrder.ORDER_ID, String.class),
                message.getHeader(GptImageConstants.TASK_ID, String.class),
                message.getHeader(GptImageConstants.STATUS, String.class),
                message.getBody(List.class)));
    }
}
