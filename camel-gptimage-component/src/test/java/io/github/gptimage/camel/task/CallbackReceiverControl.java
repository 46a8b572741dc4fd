package io.github.gptimage.camel.task;

import org.apache.camel.support.service.ServiceHelper;

/** Stops and restarts the callback receiver of a running task service, as an HTTP route that stops serving would. */
public final class CallbackReceiverControl {

    private CallbackReceiverControl() {
    }

    public static void stop(GptImageTaskService service) {
        ServiceHelper.stopService(service.callbackReceiver());
    }

    public static void start(GptImageTaskService service) {
        ServiceHelper.startService(service.callbackReceiver());
    }
}
