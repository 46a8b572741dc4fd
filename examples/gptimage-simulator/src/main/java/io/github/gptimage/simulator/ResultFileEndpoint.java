package io.github.gptimage.simulator;

import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/** {@code GET /files/{taskId}_{variant}.png}: the result images, like the CDN of the service (no key needed). */
final class ResultFileEndpoint extends SimulatorEndpoint {

    static final String NAME = "gptimage-files";

    private final SimulatorState state;

    ResultFileEndpoint(ApiResponses responses, SimulatorState state) {
        super(NAME, responses);
        this.state = state;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        state.counters().fileDownloads.incrementAndGet();
        String fileName = pathAfter(ResultFiles.PATH_PREFIX, serveEvent.getRequest());
        return state.files().png(fileName, System.currentTimeMillis())
                .map(responses::png)
                .orElseGet(responses::notFound);
    }
}
