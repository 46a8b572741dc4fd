package io.github.gptimage.camel.task;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

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
final class CallbackHandler {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackHandler.class);

    /** The HTTP status the receiver answers. */
    enum Verdict {
        ACCEPTED(200),
        DUPLICATE(200),
        MALFORMED(400),
        UNAUTHORIZED(401),
        /** Answered by the receiver: the body could not be read. */
        UNREADABLE(400),
        /** Answered by the receiver: the body is over {@code callbackMaxBodySize}. */
        TOO_LARGE(413);

        private final int status;

        Verdict(int status) {
            this.status = status;
        }

        int status() {
            return status;
        }

        /** True for the verdicts that refuse the callback (not 200). */
        boolean refuses() {
            return status != 200;
        }
    }

    private final GptImageTaskService service;
    private final ObjectMapper mapper;
    private final boolean verify;
    private final Set<String> inProgress = ConcurrentHashMap.newKeySet();
    private final Map<Verdict, LongAdder> verdicts = new EnumMap<>(Verdict.class);

    CallbackHandler(GptImageTaskService service, ObjectMapper mapper, boolean verify) {
        this.service = service;
        this.mapper = mapper;
        this.verify = verify;
        for (Verdict verdict : Verdict.values()) {
            verdicts.put(verdict, new LongAdder());
        }
    }

    /** Judges a callback and counts the verdict; whatever it completes runs on the worker pool after the answer. */
    Verdict handle(String token, byte[] payload) {
        return counted(judge(token, payload));
    }

    /** Counts a verdict (the receiver's own, for bodies it could not read or that are too large, too). */
    Verdict counted(Verdict verdict) {
        verdicts.get(verdict).increment();
        service.metrics().callback(verdict.name().toLowerCase(Locale.ROOT));
        return verdict;
    }

    /** How many callbacks were answered with each verdict since the service started. */
    Map<Verdict, Long> verdictCounts() {
        Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
        verdicts.forEach((verdict, count) -> counts.put(verdict, count.sum()));
        return counts;
    }

    private Verdict judge(String token, byte[] payload) {
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
        Optional<TrackedTask> tracked = service.store().find(taskId);
        if (tracked.isEmpty()) {
            if (service.store().removedToken(taskId).filter(removed -> CallbackTokens.matches(removed, token))
                    .isPresent()) {
                return Verdict.DUPLICATE;
            }
            tracked = fromSubmitInDoubt(taskId, token);
            if (tracked.isEmpty()) {
                // a fast service may call back before the answer to its generate was recorded
                return service.holdEarlyCallback(token, payload, () -> handle(token, payload))
                        ? Verdict.ACCEPTED : Verdict.UNAUTHORIZED;
            }
        }
        TrackedTask task = tracked.get();
        if (task.callbackToken() == null || !CallbackTokens.matches(task.callbackToken(), token)) {
            return Verdict.UNAUTHORIZED;
        }
        if (task.state() == TaskState.FINAL || !inProgress.add(taskId)) {
            return Verdict.DUPLICATE;
        }
        if (!verify) {
            TaskInfo reported = fromCallback(taskId, callback);
            if (!service.execute(() -> {
                try {
                    service.recordFinal(task, reported, false);
                } finally {
                    inProgress.remove(taskId);
                }
            })) {
                inProgress.remove(taskId);
            }
            return Verdict.ACCEPTED;
        }
        Account account = service.accountOf(task);
        if (account == null) {
            inProgress.remove(taskId);
            LOG.debug("No endpoint of account {} has started: the callback of GPT image task {} is left to polling",
                    task.account(), taskId);
            return Verdict.ACCEPTED;
        }
        PollSchedule schedule = task.schedule();
        account.pollClient(schedule.connectTimeout()).info(taskId, schedule.requestTimeout())
                .whenComplete((info, error) -> {
                    inProgress.remove(taskId);
                    if (error != null) {
                        LOG.debug("Confirming the callback of GPT image task {} failed; polling will find it: {}",
                                taskId, AsyncFailures.cause(error).getMessage());
                    } else if (info.isFinal()) {
                        service.recordFinal(task, info, false);
                    } else {
                        LOG.debug("A callback for GPT image task {} came while the service still reports {}",
                                taskId, info.status());
                    }
                });
        return Verdict.ACCEPTED;
    }

    /**
     * The task of a submit whose generate answer was lost (in doubt): the callback proves the service created it, so it
     * is tracked from now on like any other, and a repeated submit with its key gets it instead of paying again.
     */
    private Optional<TrackedTask> fromSubmitInDoubt(String taskId, String token) {
        Optional<SubmitAttempt> attempt = service.store().findAttemptByToken(CallbackTokens.digest(token))
                .filter(found -> found.state() != SubmitAttempt.AttemptState.ACCEPTED);
        if (attempt.isEmpty()) {
            return Optional.empty();
        }
        TrackedTask task = attempt.get().template().withTaskId(taskId);
        service.track(task);
        LOG.info("A callback reported GPT image task {} of the submit in doubt with idempotency key {}: it is tracked"
                 + " now", taskId, attempt.get().idempotencyKey());
        return service.store().find(taskId);
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
}
