package io.github.gptimage.camel.task;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable per-task tokens for callback URLs: the API signs nothing, so the URL itself must be the secret. */
public final class CallbackTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BYTES = 24;

    private CallbackTokens() {
    }

    public static String next() {
        byte[] token = new byte[BYTES];
        RANDOM.nextBytes(token);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }
}
