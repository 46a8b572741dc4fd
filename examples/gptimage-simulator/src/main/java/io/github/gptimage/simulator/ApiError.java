package io.github.gptimage.simulator;

/** An error answer of the service: the code that goes into the envelope and its message. */
record ApiError(int code, String msg) {

    static final ApiError UNAUTHORIZED =
            new ApiError(401, "Unauthorized - Authentication credentials are missing or invalid");
    static final ApiError NOT_FOUND = new ApiError(404, "Not Found - The requested resource or endpoint does not exist");
    static final ApiError RECORD_IS_NULL = new ApiError(422, "record is null");
    static final ApiError CONTENT_POLICY = new ApiError(400,
            "Your prompt was flagged by Website as violating content policies");
    static final ApiError ENGLISH_ONLY = new ApiError(400, "Only English prompts are supported at this time");
    static final ApiError RATE_LIMITED = new ApiError(429, "Too many requests, please slow down");
    static final ApiError MAINTENANCE = new ApiError(455,
            "Service Unavailable - System is currently undergoing maintenance");
    static final ApiError SERVER_ERROR = new ApiError(500, "Internal Error, Please try again later.");

    /** A required field is absent: the service answers 500, not 422 (see API-NOTES). */
    static ApiError required(String field) {
        return new ApiError(500, field + ": This field is required");
    }

    static ApiError invalid(String message) {
        return new ApiError(422, message);
    }
}
