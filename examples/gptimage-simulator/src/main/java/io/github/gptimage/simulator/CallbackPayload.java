package io.github.gptimage.simulator;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code data} of a callback: the task id and, on success only, the result URLs. */
record CallbackPayload(String taskId, Info info) {

    record Info(@JsonProperty("result_urls") List<String> resultUrls) {
    }

    static Envelope of(ImageTask task, List<String> resultUrls) {
        TaskFailure failure = task.failure();
        if (failure == null) {
            return Envelope.success(new CallbackPayload(task.id(), new Info(resultUrls)));
        }
        return new Envelope(failure.code(), failure.message(), new CallbackPayload(task.id(), null));
    }
}
