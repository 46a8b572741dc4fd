package io.github.gptimage.camel.task;

/**
 * What an account's generates may do: spend at most its credit {@code budget} (null for no budget), and be sent at
 * most {@code maxSubmitsPerSecond} a second on this node (0 for no limit). Account-wide: every generate endpoint of
 * the account declares the same.
 */
public record SubmitLimits(CreditBudget budget, double maxSubmitsPerSecond) {

    /** No budget and no rate limit. */
    public static final SubmitLimits NONE = new SubmitLimits(null, 0);

    @Override
    public String toString() {
        return (budget == null ? "creditBudget=0" : "creditBudget=" + budget.credits() + ", creditBudgetPeriod="
                                                    + budget.period())
               + ", maxSubmitsPerSecond=" + maxSubmitsPerSecond;
    }
}
