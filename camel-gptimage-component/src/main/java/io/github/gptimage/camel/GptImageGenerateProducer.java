package io.github.gptimage.camel;

import java.util.concurrent.CompletionException;

import io.github.gptimage.camel.api.GenerateRequest;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * {@code gptimage:generate}: submits a task and sets its id as the body and the {@code CamelGptImageTaskId} header.
 * Invalid requests fail before any call is made; no thread waits for the service's answer.
 */
public class GptImageGenerateProducer extends DefaultAsyncProducer {

    private final GptImageEndpoint endpoint;
    private final GenerateRequestResolver resolver;

    public GptImageGenerateProducer(GptImageEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.resolver = new GenerateRequestResolver(endpoint.getConfiguration(),
                endpoint.getComponent().getObjectMapper());
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        GenerateRequest request;
        try {
            request = resolver.resolve(exchange);
            GenerateRequestValidator.validate(request);
        } catch (GptImageException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        endpoint.getClient().generate(request).whenComplete((taskId, error) -> {
            if (error != null) {
                exchange.setException(unwrap(error));
            } else {
                exchange.getMessage().setBody(taskId);
                exchange.getMessage().setHeader(GptImageConstants.TASK_ID, taskId);
            }
            callback.done(false);
        });
        return false;
    }

    static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
