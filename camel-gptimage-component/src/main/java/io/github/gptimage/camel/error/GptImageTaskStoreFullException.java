package io.github.gptimage.camel.error;

/**
 * The task store holds as many tasks as it may: the generate was not sent, and nothing was paid. Final: it passes
 * only as tasks complete (a {@code tasks} consumer, waiting exchanges) or with a larger bound.
 */
public class GptImageTaskStoreFullException extends GptImageException {

    public GptImageTaskStoreFullException(int pendingTasks) {
        super(0, null, null, "The GPT image task store is full (" + pendingTasks + " tasks pending or not yet"
                             + " delivered): generate was not sent. Consume completions (gptimage:tasks) or raise"
                             + " maxPendingTasks", null);
    }
}
