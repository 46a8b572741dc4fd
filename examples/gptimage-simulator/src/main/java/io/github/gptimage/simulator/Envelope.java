package io.github.gptimage.simulator;

/** The wrapper around every answer of the service: {@code {"code":N,"msg":"...","data":...}}. */
record Envelope(int code, String msg, Object data) {

    static Envelope success(Object data) {
        return new Envelope(200, "success", data);
    }

    static Envelope error(ApiError error) {
        return new Envelope(error.code(), error.msg(), null);
    }
}
