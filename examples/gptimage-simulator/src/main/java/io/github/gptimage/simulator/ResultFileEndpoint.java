package io.github.gptimage.simulator;

import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/** {@code GET /files/{taskId}_{variant}.png}: the result images, like the CDN of the service (no key needed). */
final class ResultFileEndpoint extends SimulatorEndpoint {

    static final String NAME = "gptimage-files";

    private final ApiResponses responses;
    private final SimulatorState state;

    ResultFileEndpoint(ApiResponses responses, SimulatorState state) {
        super(NAME);
        this.responses = responses;
        this.state = state;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        state.counters().fileDownloads.incrementAndGet();
        String fileName = pathOf(serveEvent.getRequest()).substring(ResultFiles.PATH_PREFIX.length());
        return state.files().png(fileName, System.currentTimeMillis())
                .map(responses::png)
                .orElseGet(responses::notFound);
    }
}
