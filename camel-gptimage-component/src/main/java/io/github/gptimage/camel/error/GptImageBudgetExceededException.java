package io.github.gptimage.camel.error;

import java.time.Duration;
import java.time.Instant;

/**
 * The generate would take the account past its credit budget ({@code creditBudget} per {@code creditBudgetPeriod}):
 * it was not sent, and nothing was paid. Final: redelivering does not help before the budget's window ends
 * ({@link #getWindowEnd()}); route it to a dead-letter channel or hold the work until then.
 */
public class GptImageBudgetExceededException extends GptImageException {

    private final String account;
    private final long budget;
    private final Duration period;
    private final long spent;
    private final long credits;
    private final Instant windowEnd;

    public GptImageBudgetExceededException(String account, long budget, Duration period, long spent, long credits,
                                           Instant windowEnd) {
        super(0, null, null, "The GPT image account " + account + " has spent " + spent + " of its credit budget of "
                             + budget + " per " + period + " (window ending " + windowEnd + "): a generate costing "
                             + credits + " credits would exceed it, so nothing was sent", null);
        this.account = account;
        this.budget = budget;
        this.period = period;
        this.spent = spent;
        this.credits = credits;
        this.windowEnd = windowEnd;
    }

    /** The account whose budget it is: its name, never its key. */
    public String getAccount() {
        return account;
    }

    /** The credits the account may spend per period. */
    public long getBudget() {
        return budget;
    }

    /** The budget's period. */
    public Duration getPeriod() {
        return period;
    }

    /** What the account had spent in the current window. */
    public long getSpent() {
        return spent;
    }

    /** What the refused generate was expected to cost. */
    public long getCredits() {
        return credits;
    }

    /** When the current window ends and the budget is available again. */
    public Instant getWindowEnd() {
        return windowEnd;
    }
}
