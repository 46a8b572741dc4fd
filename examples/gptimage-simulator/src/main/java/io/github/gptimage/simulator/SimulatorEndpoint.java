package io.github.gptimage.simulator;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;

/**
 * A WireMock response transformer that answers one endpoint of the simulator. It only runs for
 * the stub that names it, never globally.
 */
abstract class SimulatorEndpoint implements ResponseDefinitionTransformerV2 {

    private final String name;
    final ApiResponses responses;

    SimulatorEndpoint(String name, ApiResponses responses) {
        this.name = name;
        this.responses = responses;
    }

    @Override
    public final String getName() {
        return name;
    }

    @Override
    public final boolean applyGlobally() {
        return false;
    }

    /** The request path after {@code prefix}, without the query string. */
    static String pathAfter(String prefix, Request request) {
        String url = request.getUrl();
        int query = url.indexOf('?');
        return (query < 0 ? url : url.substring(0, query)).substring(prefix.length());
    }
}
