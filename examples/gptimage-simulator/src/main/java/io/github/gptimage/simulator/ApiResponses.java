package io.github.gptimage.simulator;

import java.time.Duration;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;

/**
 * Turns envelopes, errors and fault scenarios into WireMock response definitions. Errors are sent
 * with HTTP 200 and the error in the envelope code, as the service does, unless the simulator
 * runs with httpStatusErrors, then the HTTP status equals the code.
 */
final class ApiResponses {

    private static final String GATEWAY_ERROR_PAGE =
            "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>";

    private final SimulatorSettings settings;

    ApiResponses(SimulatorSettings settings) {
        this.settings = settings;
    }

    ResponseDefinition success(Object data) {
        return json(200, Envelope.success(data)).build();
    }

    ResponseDefinition error(ApiError error) {
        int status = settings.httpStatusErrors() ? error.code() : 200;
        return json(status, Envelope.error(error)).build();
    }

    ResponseDefinition rateLimited(int retryAfterSeconds) {
        int status = settings.httpStatusErrors() ? ApiError.RATE_LIMITED.code() : 200;
        return json(status, Envelope.error(ApiError.RATE_LIMITED))
                .withHeader("Retry-After", String.valueOf(retryAfterSeconds))
                .build();
    }

    /** The answer of a call-fault scenario (see {@link Scenario#isCallFault()}). */
    ResponseDefinition fault(Scenario scenario) {
        return switch (scenario) {
            case MAINTENANCE -> error(ApiError.MAINTENANCE);
            case SERVER_ERROR -> error(ApiError.SERVER_ERROR);
            case RATE_LIMITED -> rateLimited(settings.retryAfterSeconds());
            case CONNECTION_RESET -> ResponseDefinitionBuilder.responseDefinition()
                    .withFault(Fault.CONNECTION_RESET_BY_PEER).build();
            case BAD_CHUNK -> ResponseDefinitionBuilder.responseDefinition()
                    .withFault(Fault.MALFORMED_RESPONSE_CHUNK).build();
            case MALFORMED -> ResponseDefinitionBuilder.responseDefinition()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/html")
                    .withBody(GATEWAY_ERROR_PAGE).build();
            default -> throw new IllegalArgumentException(scenario + " is not a call fault");
        };
    }

    ResponseDefinition delayed(ResponseDefinition response, Duration delay) {
        return ResponseDefinitionBuilder.like(response).withFixedDelay((int) delay.toMillis()).build();
    }

    ResponseDefinition png(byte[] image) {
        return ResponseDefinitionBuilder.responseDefinition()
                .withStatus(200)
                .withHeader("Content-Type", "image/png")
                .withBody(image).build();
    }

    /** An unknown path or result file: a plain HTTP 404, as from a CDN or a gateway. */
    ResponseDefinition notFound() {
        return json(404, Envelope.error(ApiError.NOT_FOUND)).build();
    }

    /** A refused admin request: always with its real HTTP status, the admin API is no part of the service. */
    ResponseDefinition badAdminRequest(String message) {
        return json(400, Envelope.error(new ApiError(400, message))).build();
    }

    private static ResponseDefinitionBuilder json(int status, Envelope envelope) {
        return ResponseDefinitionBuilder.responseDefinition()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(Json.write(envelope));
    }
}
