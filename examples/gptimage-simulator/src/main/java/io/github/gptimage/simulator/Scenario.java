package io.github.gptimage.simulator;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A scripted deviation from the happy path. Each scenario is selected either by its marker
 * ({@code [word]}) anywhere in a generate prompt, or through the admin API for the next calls.
 */
public enum Scenario {
    /** generate answers code 400, content policy violation; no task is created. */
    POLICY("policy", Kind.GENERATE_ONLY),
    /** the task is created and ends GENERATE_FAILED with error code 400; failure callback. */
    FAIL("fail", Kind.GENERATE_ONLY),
    /** the task is created and ends GENERATE_FAILED with error code 451 (source image not fetched). */
    IMAGE_FETCH_FAILED("451", Kind.GENERATE_ONLY),
    /** the callback of the task is delivered twice. */
    DUPLICATE_CALLBACK("duplicate-callback", Kind.GENERATE_ONLY),
    /** the callback of the task arrives late (lateCallbackDelay after completion). */
    LATE_CALLBACK("late-callback", Kind.GENERATE_ONLY),
    /**
     * the task is created and paid (and its callback delivered when it finishes), but the answer
     * is lost: the connection is reset by the server instead of answering the taskId.
     */
    LOST_ANSWER("lost-answer", Kind.GENERATE_ONLY),
    /**
     * the task is created and paid (and its callback delivered when it finishes), but no answer
     * comes: the server keeps the connection silent for slowResponseDelay, then resets it. A
     * client with a shorter read timeout times out.
     */
    LOST_ANSWER_TIMEOUT("lost-answer-timeout", Kind.GENERATE_ONLY),
    /** the call answers code 455, maintenance. */
    MAINTENANCE("455", Kind.CALL_FAULT),
    /** the call answers code 500, server error. */
    SERVER_ERROR("500", Kind.CALL_FAULT),
    /** the call answers code 429 with a Retry-After header. */
    RATE_LIMITED("429", Kind.CALL_FAULT),
    /** the connection is reset by the server before any answer. */
    CONNECTION_RESET("reset", Kind.CALL_FAULT),
    /** HTTP 200 with a body that is not JSON (a gateway error page). */
    MALFORMED("malformed", Kind.CALL_FAULT),
    /** HTTP 200 followed by a broken chunked body. */
    BAD_CHUNK("bad-chunk", Kind.CALL_FAULT),
    /** the normal answer, but only after slowResponseDelay (a generate still creates its task). */
    SLOW("slow", Kind.DELAY);

    private enum Kind {
        GENERATE_ONLY,
        CALL_FAULT,
        DELAY
    }

    private final String word;
    private final Kind kind;

    Scenario(String word, Kind kind) {
        this.word = word;
        this.kind = kind;
    }

    /** The word used by the admin endpoint, e.g. {@code 455}. */
    public String word() {
        return word;
    }

    /** The prompt marker, e.g. {@code [455]}. */
    public String marker() {
        return "[" + word + "]";
    }

    /** Whether the call is answered by a fault or an error instead of its normal answer. */
    boolean isCallFault() {
        return kind == Kind.CALL_FAULT;
    }

    public boolean appliesTo(ApiCall call) {
        return call == ApiCall.GENERATE || kind != Kind.GENERATE_ONLY;
    }

    /** The scenarios whose markers occur in the prompt (case-insensitive). */
    static Set<Scenario> markedIn(String prompt) {
        Set<Scenario> marked = EnumSet.noneOf(Scenario.class);
        if (prompt != null) {
            String lower = prompt.toLowerCase(Locale.ROOT);
            for (Scenario scenario : values()) {
                if (lower.contains(scenario.marker())) {
                    marked.add(scenario);
                }
            }
        }
        return marked;
    }

    /** The scenario named by its word ({@code 455}), its marker ({@code [455]}) or its constant name. */
    public static Optional<Scenario> fromWord(String word) {
        String bare = word.startsWith("[") && word.endsWith("]") ? word.substring(1, word.length() - 1) : word;
        return Arrays.stream(values())
                .filter(s -> s.word.equalsIgnoreCase(bare) || s.name().equalsIgnoreCase(bare))
                .findFirst();
    }
}
