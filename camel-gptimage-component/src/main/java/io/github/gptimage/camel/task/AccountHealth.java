package io.github.gptimage.camel.task;

import java.time.Duration;
import java.time.Instant;

import io.github.gptimage.camel.error.GptImageException;

/**
 * What the calls of one account (generate, info, downloads of its results) tell about its health, for the health
 * checks and the dev console. An account is DOWN after an answer that no retry of the same call can fix:
 * <ul>
 * <li>401, the key was refused: until a call of the account succeeds;</li>
 * <li>402, the credits ran out: until a generate succeeds (an info call spends nothing, so its success says nothing
 * about the credits), or until {@code lapse} passed without another 402, so that the next generate is the
 * re-check;</li>
 * <li>455 (maintenance) or 550 (queue full): until a call succeeds, or {@code lapse} passed without another such
 * answer.</li>
 * </ul>
 * It is UP otherwise. Every error is kept as the last error (code, operation, time); nothing here holds the key.
 */
public final class AccountHealth {

    /** A call of the account, as the health checks, console and metrics name it. */
    public enum Operation {
        GENERATE, INFO, DOWNLOAD;

        /** The lower-case name used in details and tags. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** An answer or failure of one call: its code (0 when nothing was answered), what failed, and when. */
    public record Failure(int code, Operation operation, String type, String message, Instant at) {
    }

    private final Duration lapse;
    private Failure down;
    private Failure lastError;
    private Instant lastSuccess;

    AccountHealth(Duration lapse) {
        this.lapse = lapse;
    }

    /** Records a call that succeeded. */
    synchronized void succeeded(Operation operation, Instant at) {
        lastSuccess = at;
        if (down == null || operation == Operation.DOWNLOAD) {
            return; // a download is a CDN's answer, not the API's
        }
        if (down.code() != 402 || operation == Operation.GENERATE) {
            down = null;
        }
    }

    /** Records a call that failed with {@code error}. */
    synchronized void failed(Operation operation, Throwable error, Instant at) {
        int code = error instanceof GptImageException known ? known.getCode() : 0;
        Failure failure = new Failure(code, operation, error.getClass().getSimpleName(), apiMessage(error), at);
        lastError = failure;
        if (operation != Operation.DOWNLOAD && isDownCode(code)) {
            down = failure;
        }
    }

    /** True for the codes that make an account DOWN: 401, 402, 455, 550. */
    public static boolean isDownCode(int code) {
        return code == 401 || code == 402 || code == 455 || code == 550;
    }

    /** The answer that makes the account DOWN at {@code now}, or null while it is UP. */
    public synchronized Failure downAt(Instant now) {
        if (down == null) {
            return null;
        }
        if (down.code() != 401 && down.at().plus(lapse).isBefore(now)) {
            return null; // no call re-checked it for a while: the next one is the re-check
        }
        return down;
    }

    /** The last failed call, or null. */
    public synchronized Failure lastError() {
        return lastError;
    }

    /** When a call last succeeded, or null. */
    public synchronized Instant lastSuccess() {
        return lastSuccess;
    }

    /** Why an account answering {@code code} is DOWN, in words. */
    public static String reason(int code) {
        return switch (code) {
            case 401 -> "the service refused the API key (401)";
            case 402 -> "the account has no credits left (402)";
            case 455 -> "the service is under maintenance (455)";
            case 550 -> "the service's queue is full (550)";
            default -> "the service answered " + code;
        };
    }

    private static String apiMessage(Throwable error) {
        if (error instanceof GptImageException known && known.getApiMessage() != null) {
            return known.getApiMessage();
        }
        return error.getMessage();
    }
}
