package io.github.gptimage.simulator;

import java.util.Optional;

import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * An endpoint of the paid API (generate, info): counts the call, checks the key (before anything
 * else), takes the call's next scripted scenario and leaves the answer to the subclass.
 */
abstract class PaidApiEndpoint extends SimulatorEndpoint {

    private final ApiCall call;
    final SimulatorSettings settings;
    final SimulatorState state;

    PaidApiEndpoint(String name, ApiCall call, SimulatorSettings settings, ApiResponses responses,
                    SimulatorState state) {
        super(name, responses);
        this.call = call;
        this.settings = settings;
        this.state = state;
    }

    @Override
    public final ResponseDefinition transform(ServeEvent serveEvent) {
        state.counters().callsOf(call).incrementAndGet();
        Request request = serveEvent.getRequest();
        if (!settings.accepts(request.getHeader(GptImageSimulator.API_KEY_HEADER))) {
            return responses.error(ApiError.UNAUTHORIZED);
        }
        return answer(request, state.script().next(call));
    }

    /** The answer to a call with an accepted key; {@code scripted} is the scenario scripted for it, if any. */
    abstract ResponseDefinition answer(Request request, Optional<Scenario> scripted);
}
