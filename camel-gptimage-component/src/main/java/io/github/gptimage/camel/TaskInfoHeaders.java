package io.github.gptimage.camel;

import io.github.gptimage.camel.api.TaskInfo;
import org.apache.camel.Message;

/** Sets the out headers that describe a task. */
final class TaskInfoHeaders {

    private TaskInfoHeaders() {
    }

    static void apply(Message message, TaskInfo info) {
        message.setHeader(GptImageConstants.TASK_ID, info.taskId());
        message.setHeader(GptImageConstants.STATUS, info.status());
        message.setHeader(GptImageConstants.RESULT_URLS, info.resultUrls());
        setIfPresent(message, GptImageConstants.PROGRESS, info.progress());
        setIfPresent(message, GptImageConstants.ERROR_CODE, info.errorCode());
        setIfPresent(message, GptImageConstants.ERROR_MESSAGE, info.errorMessage());
        setIfPresent(message, GptImageConstants.CREATE_TIME, info.createTime());
        setIfPresent(message, GptImageConstants.COMPLETE_TIME, info.completeTime());
    }

    private static void setIfPresent(Message message, String name, Object value) {
        if (value != null) {
            message.setHeader(name, value);
        }
    }
}
