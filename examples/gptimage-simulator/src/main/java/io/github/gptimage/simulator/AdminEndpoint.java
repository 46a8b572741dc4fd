package io.github.gptimage.simulator;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * The admin API under {@code /__sim}, a thin HTTP shell over the Java API of
 * {@link GptImageSimulator}: stats, tasks, scripted scenarios and reset. No key is needed.
 */
final class AdminEndpoint extends SimulatorEndpoint {

    static final String NAME = "gptimage-admin";
    static final String PATH_PREFIX = "/__sim/";

    private final GptImageSimulator simulator;

    AdminEndpoint(GptImageSimulator simulator, ApiResponses responses) {
        super(NAME, responses);
        this.simulator = simulator;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        Request request = serveEvent.getRequest();
        String action = pathAfter(PATH_PREFIX, request);
        boolean get = request.getMethod().equals(RequestMethod.GET);
        boolean post = request.getMethod().equals(RequestMethod.POST);
        if (get && action.equals("stats")) {
            return responses.success(simulator.stats());
        }
        if (get && action.equals("tasks")) {
            return responses.success(simulator.tasks());
        }
        if (get && action.equals("script")) {
            return responses.success(simulator.pendingScript());
        }
        if (post && action.equals("script")) {
            return script(Json.readOrNull(request.getBodyAsString()));
        }
        if (post && action.equals("reset")) {
            simulator.reset();
            return responses.success(simulator.stats());
        }
        return responses.notFound();
    }

    /** {@code {"call":"generate","scenario":"455","times":2}}; call defaults to generate, times to 1. */
    private ResponseDefinition script(JsonNode body) {
        if (body == null || !body.isObject()) {
            return responses.badAdminRequest("expected a JSON object like {\"call\":\"generate\",\"scenario\":\"455\",\"times\":2}");
        }
        Optional<ApiCall> call = apiCall(body.path("call").asText("generate"));
        Optional<Scenario> scenario = Scenario.fromWord(body.path("scenario").asText(""));
        if (call.isEmpty() || scenario.isEmpty()) {
            return responses.badAdminRequest("unknown call or scenario; calls: generate, info; scenarios: "
                    + String.join(", ", Arrays.stream(Scenario.values()).map(Scenario::word).toList()));
        }
        try {
            simulator.script(call.get(), scenario.get(), body.path("times").asInt(1));
        } catch (IllegalArgumentException e) {
            return responses.badAdminRequest(e.getMessage());
        }
        return responses.success(simulator.pendingScript());
    }

    private static Optional<ApiCall> apiCall(String name) {
        try {
            return Optional.of(ApiCall.valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
