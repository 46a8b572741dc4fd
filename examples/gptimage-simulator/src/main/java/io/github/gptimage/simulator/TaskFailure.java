package io.github.gptimage.simulator;

/** Why a task ends GENERATE_FAILED: the errorCode and errorMessage of its details and its callback. */
record TaskFailure(int code, String message) {

    static final TaskFailure CONTENT_POLICY =
            new TaskFailure(400, "Your content was flagged by OpenAI as violating content policies");
    static final TaskFailure IMAGE_FETCH_FAILED = new TaskFailure(451,
            "Failed to fetch the image. Kindly verify any access limits set by you or your service provider.");
}
