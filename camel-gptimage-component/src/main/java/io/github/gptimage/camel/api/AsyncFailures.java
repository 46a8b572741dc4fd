package io.github.gptimage.camel.api;

import java.util.concurrent.CompletionException;

/** Reads the failure of a completed future. */
public final class AsyncFailures {

    private AsyncFailures() {
    }

    /** The failure itself, without the {@link CompletionException} a dependent stage wraps it in; null for none. */
    public static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
