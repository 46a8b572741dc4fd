package io.github.gptimage.camel;

import java.util.List;

import io.github.gptimage.camel.api.DownloadedImage;
import io.github.gptimage.camel.task.TaskOutcome;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Turns a task outcome into the completion exchange, the same for the {@code tasks} consumer and a waiting producer:
 * task headers, correlation headers, and the result URLs, the image(s) or the failure.
 */
final class CompletionMessages {

    private CompletionMessages() {
    }

    static void fill(Exchange exchange, TaskOutcome outcome) {
        Message message = exchange.getMessage();
        outcome.task().correlationHeaders().forEach(message::setHeader);
        TaskInfoHeaders.apply(message, outcome.task().finalInfo());
        message.setHeader(GptImageConstants.CREDITS, outcome.task().credits());
        message.setHeader(GptImageConstants.REDELIVERED, outcome.isRedelivery());
        message.setHeader(GptImageConstants.REDELIVERY_COUNTER, outcome.task().deliveries());
        if (!outcome.isSuccess()) {
            exchange.setException(outcome.failure());
            return;
        }
        List<DownloadedImage> images = outcome.images();
        if (images.isEmpty()) {
            message.setBody(outcome.task().finalInfo().resultUrls());
        } else if (images.size() == 1) {
            message.setBody(images.get(0).bytes());
            message.setHeader(Exchange.CONTENT_TYPE, images.get(0).contentType());
        } else {
            message.setBody(images.stream().map(DownloadedImage::bytes).toList());
            message.setHeader(Exchange.CONTENT_TYPE, images.stream().map(DownloadedImage::contentType).toList());
        }
    }
}
