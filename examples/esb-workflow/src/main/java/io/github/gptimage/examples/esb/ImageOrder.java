package io.github.gptimage.examples.esb;

import java.util.regex.Pattern;

import io.github.gptimage.camel.GptImageConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** An image order as posted to {@code POST /orders}: {@code {"orderId":"o-1","prompt":"...","size":"3:2"}}. */
public record ImageOrder(String orderId, String prompt, String size, Integer variants) {

    /** The header that carries the order id along the whole flow (a correlation header of generate). */
    public static final String ORDER_ID = "orderId";

    /** Safe as a file name and a log token. */
    private static final Pattern ORDER_ID_FORMAT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** An order the API never sees: answered 400, not dead-lettered. */
    public static class InvalidOrderException extends IllegalArgumentException {
        public InvalidOrderException(String message) {
            super(message);
        }
    }

    public void validate() {
        if (orderId == null || !ORDER_ID_FORMAT.matcher(orderId).matches()) {
            throw new InvalidOrderException("orderId is required: 1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (prompt == null || prompt.isBlank()) {
            throw new InvalidOrderException("prompt is required");
        }
    }

    /** Camel processor: the order body becomes the generate request (prompt body, size and variants headers). */
    public static void toRequest(Exchange exchange) {
        ImageOrder order = exchange.getMessage().getBody(ImageOrder.class);
        if (order == null) {
            throw new InvalidOrderException("the body must be a JSON order: {\"orderId\":...,\"prompt\":...}");
        }
        order.validate();
        Message message = exchange.getMessage();
        message.setHeader(ORDER_ID, order.orderId());
        message.setBody(order.prompt());
        if (order.size() != null) {
            message.setHeader(GptImageConstants.SIZE, order.size());
        }
        if (order.variants() != null) {
            message.setHeader(GptImageConstants.VARIANTS, order.variants());
        }
    }
}
