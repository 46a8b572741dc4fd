package io.github.gptimage.camel.task;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gptimage.camel.api.AsyncFailures;
import io.github.gptimage.camel.api.TaskInfo;
import io.github.gptimage.camel.api.TaskInfoReader;
import io.github.gptimage.camel.api.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges a callback the service posted and hands it to the completion path. The token in the callback URL is the
 * only proof of origin the API offers, so an unknown or wrong token is refused; by default the callback is only a hint
 * that one info call confirms. Answers at once: the confirmation runs after the answer.
 */
public class CallbackHandler {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackHandler.class);

    /** The HTTP status the receiver answers. */
    public enum Verdict {
        ACCEPTED(200),
        DUPLICATE(200),
        MALFORMED(400),
        UNAUTHORIZED(401);

        private final int status;

        Verdict(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final TaskTracker tracker;
    private final ObjectMapper mapper;
    private final boolean verify;
    private final Set<String> inProgress = ConcurrentHashMap.newKeySet();

    public CallbackHandler(TaskTracker tracker, ObjectMapper mapper, boolean verify) {
        this.tracker = tracker;
        this.mapper = mapper;
        this.verify = verify;
    }

    public Verdict handle(String token, byte[] payload) {
        JsonNode callback;
        try {
            callback = mapper.readTree(payload);
        } catch (java.io.IOException e) {
            return Verdict.MALFORMED;
        }
        JsonNode data = callback != null ? callback.get("data") : null;
        String taskId = data != null && data.hasNonNull("taskId") ? data.get("taskId").asText() : null;
        if (taskId == null || taskId.isBlank()) {
            return Verdict.MALFORMED;
        }
        if (token == null || token.isBlank()) {
            return Verdict.UNAUTHORIZED;
        }
        Optional<PendingTask> pending = tracker.store().find(taskId);
        if (pending.isEmpty()) {
            String completedToken = tracker.recentCompletions().token(taskId);
            return completedToken != null && sameToken(completedToken, token) ? Verdict.DUPLICATE : Verdict.UNAUTHORIZED;
        }
        PendingTask task = pending.orElseThrow();
        if (task.callbackToken() == null || !sameToken(task.callbackToken(), token)) {
            return Verdict.UNAUTHORIZED;
        }
        if (!inProgress.add(taskId)) {
            return Verdict.DUPLICATE;
        }
        if (!verify) {
            try {
                tracker.complete(task, fromCallback(taskId, callback));
            } finally {
                inProgress.remove(taskId);
            }
            return Verdict.ACCEPTED;
        }
        tracker.client().info(taskId).whenComplete((info, error) -> {
            inProgress.remove(taskId);
            if (error != null) {
                LOG.debug("Confirming the callback of GPT image task {} failed; polling will find it: {}", taskId,
                        AsyncFailures.cause(error).getMessage());
            } else if (info.isFinal()) {
                tracker.complete(task, info);
            } else {
                LOG.debug("A callback for GPT image task {} came while the service still reports {}", taskId,
                        info.status());
            }
        });
        return Verdict.ACCEPTED;
    }

    /** The task as the callback describes it, for {@code verifyCallbacks=false}. */
    private static TaskInfo fromCallback(String taskId, JsonNode callback) {
        int code = callback.path("code").asInt(0);
        String message = callback.hasNonNull("msg") ? callback.get("msg").asText() : null;
        if (code == 200) {
            return new TaskInfo(taskId, TaskStatus.SUCCESS, 1.0, TaskInfoReader.resultUrls(callback.path("data").path("info")), null,
                                null, null, null, null);
        }
        return new TaskInfo(taskId, TaskStatus.GENERATE_FAILED, null, null, String.valueOf(code), message, null, null,
                            null);
    }

    private static boolean sameToken(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
