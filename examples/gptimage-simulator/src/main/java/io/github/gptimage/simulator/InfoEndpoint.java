package io.github.gptimage.simulator;

import java.util.Optional;

import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;

/**
 * {@code POST /paid/gpt4o-image/info?taskId=...}: checks the key, applies scripted call faults,
 * enforces the per-task rate limit and reports the task as it is at this moment.
 */
final class InfoEndpoint extends PaidApiEndpoint {

    static final String NAME = "gptimage-info";
    private static final int RATE_LIMIT_RETRY_AFTER_SECONDS = 1;

    InfoEndpoint(SimulatorSettings settings, ApiResponses responses, SimulatorState state) {
        super(NAME, ApiCall.INFO, settings, responses, state);
    }

    @Override
    ResponseDefinition answer(Request request, Optional<Scenario> scripted) {
        if (scripted.isPresent() && scripted.get().isCallFault()) {
            return responses.fault(scripted.get());
        }
        ResponseDefinition answer = taskDetails(taskIdOf(request), System.currentTimeMillis());
        boolean slow = scripted.filter(Scenario.SLOW::equals).isPresent();
        return slow ? responses.delayed(answer, settings.slowResponseDelay()) : answer;
    }

    private ResponseDefinition taskDetails(String taskId, long now) {
        if (taskId == null) {
            return responses.error(ApiError.required("taskId"));
        }
        if (!state.rateLimiter().tryAcquire(taskId, now)) {
            return responses.rateLimited(RATE_LIMIT_RETRY_AFTER_SECONDS);
        }
        return state.tasks().find(taskId)
                .map(task -> responses.success(task.detailsAt(now, state.files().urlsOf(task))))
                .orElseGet(() -> responses.error(ApiError.RECORD_IS_NULL));
    }

    private static String taskIdOf(Request request) {
        QueryParameter taskId = request.queryParameter("taskId");
        if (taskId == null || !taskId.isPresent() || taskId.firstValue().isBlank()) {
            return null;
        }
        return taskId.firstValue();
    }
}
