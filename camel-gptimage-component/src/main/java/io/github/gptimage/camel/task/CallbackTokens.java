package io.github.gptimage.camel.task;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Unguessable per-task tokens for callback URLs: the API signs nothing, so the URL itself must be the secret. The store
 * keeps only their SHA-256 digest, so that reading the database does not let anyone forge a callback.
 */
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

    /** The digest of {@code token} that the store keeps and callbacks are compared with. */
    public static String digest(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** True when {@code token} is the one whose digest is {@code expectedDigest}; in constant time. */
    static boolean matches(String expectedDigest, String token) {
        return MessageDigest.isEqual(expectedDigest.getBytes(StandardCharsets.UTF_8),
                digest(token).getBytes(StandardCharsets.UTF_8));
    }
}
