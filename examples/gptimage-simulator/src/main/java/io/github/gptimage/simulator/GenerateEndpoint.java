package io.github.gptimage.simulator;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;

/**
 * {@code POST /paid/gpt4o-image/generate}: checks the key, applies call faults (scripted or
 * marked in the prompt), validates the body, creates the task and schedules its callback, then
 * answers its id (or loses the answer: {@code [lost-answer]}, {@code [lost-answer-timeout]}).
 */
final class GenerateEndpoint extends PaidApiEndpoint {

    static final String NAME = "gptimage-generate";
    /** Lets the callback fire only once the task clock has surely passed the completion time. */
    private static final Duration CALLBACK_MARGIN = Duration.ofMillis(20);

    GenerateEndpoint(SimulatorSettings settings, ApiResponses responses, SimulatorState state) {
        super(NAME, ApiCall.GENERATE, settings, responses, state);
    }

    @Override
    ResponseDefinition answer(Request request, Optional<Scenario> scripted) {
        JsonNode body = Json.readOrNull(request.getBodyAsString());
        Set<Scenario> scenarios = Scenario.markedIn(body == null ? null : body.path("prompt").asText(null));
        scripted.ifPresent(scenarios::add);

        Optional<Scenario> fault = scenarios.stream().filter(Scenario::isCallFault).findFirst();
        if (fault.isPresent()) {
            return responses.fault(fault.get());
        }
        Optional<ApiError> invalid = GenerateRequestValidator.validate(body);
        if (invalid.isPresent()) {
            return responses.error(invalid.get());
        }
        if (scenarios.contains(Scenario.POLICY)) {
            return responses.error(ApiError.CONTENT_POLICY);
        }
        ImageTask task = createTask(GenerateRequest.from(body), scenarios);
        if (scenarios.contains(Scenario.LOST_ANSWER)) {
            return responses.fault(Scenario.CONNECTION_RESET);
        }
        if (scenarios.contains(Scenario.LOST_ANSWER_TIMEOUT)) {
            return responses.delayed(responses.fault(Scenario.CONNECTION_RESET), settings.slowResponseDelay());
        }
        ResponseDefinition created = responses.success(new TaskCreated(task.id()));
        return scenarios.contains(Scenario.SLOW) ? responses.delayed(created, settings.slowResponseDelay()) : created;
    }

    private ImageTask createTask(GenerateRequest request, Set<Scenario> scenarios) {
        ImageTask task = state.tasks().create(request, System.currentTimeMillis(),
                settings.completionTime().toMillis(), failureOf(scenarios));
        state.counters().tasksCreated.incrementAndGet();
        if (request.callBackUrl() != null) {
            scheduleCallback(task, scenarios);
        }
        return task;
    }

    private static TaskFailure failureOf(Set<Scenario> scenarios) {
        if (scenarios.contains(Scenario.FAIL)) {
            return TaskFailure.CONTENT_POLICY;
        }
        return scenarios.contains(Scenario.IMAGE_FETCH_FAILED) ? TaskFailure.IMAGE_FETCH_FAILED : null;
    }

    private void scheduleCallback(ImageTask task, Set<Scenario> scenarios) {
        boolean late = settings.lateCallbacks() || scenarios.contains(Scenario.LATE_CALLBACK);
        boolean duplicate = settings.duplicateCallbacks() || scenarios.contains(Scenario.DUPLICATE_CALLBACK);
        Duration delay = settings.completionTime()
                .plus(CALLBACK_MARGIN)
                .plus(late ? settings.lateCallbackDelay() : Duration.ZERO);
        state.callbacks().schedule(task.request().callBackUrl(), delay, duplicate ? 2 : 1,
                () -> state.tasks().contains(task) ? CallbackPayload.of(task, state.files().urlsOf(task)) : null);
    }
}
