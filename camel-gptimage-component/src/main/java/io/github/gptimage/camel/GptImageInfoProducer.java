package io.github.gptimage.camel;

import io.github.gptimage.camel.api.AsyncFailures;
import io.github.gptimage.camel.error.GptImageValidationException;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * {@code gptimage:info}: queries the task named by the {@code CamelGptImageTaskId} header (else a String body) and
 * sets a {@link io.github.gptimage.camel.api.TaskInfo} body with the task headers.
 */
public class GptImageInfoProducer extends DefaultAsyncProducer {

    private final GptImageEndpoint endpoint;
    private final GptImageHealth.Producer health = new GptImageHealth.Producer();

    public GptImageInfoProducer(GptImageEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        endpoint.startTaskService();
        health.start(endpoint);
    }

    @Override
    protected void doStop() throws Exception {
        health.stop();
        super.doStop();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Message message = exchange.getMessage();
        String taskId = message.getHeader(GptImageConstants.TASK_ID, String.class);
        if (taskId == null && message.getBody() instanceof String body) {
            taskId = body;
        }
        if (taskId == null || taskId.isBlank()) {
            exchange.setException(new GptImageValidationException(
                    "info needs a task id in the " + GptImageConstants.TASK_ID + " header or a String body"));
            callback.done(true);
            return true;
        }
        endpoint.getClient().info(taskId.trim(), endpoint.requestTimeout()).whenComplete((info, error) -> {
            if (error != null) {
                exchange.setException(AsyncFailures.cause(error));
            } else {
                message.setBody(info);
                TaskInfoHeaders.apply(message, info);
            }
            callback.done(false);
        });
        return false;
    }
}
