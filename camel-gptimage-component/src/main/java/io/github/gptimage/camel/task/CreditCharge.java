package io.github.gptimage.camel.task;

/**
 * What {@link GptImageTaskStore#chargeCredits} did.
 *
 * @param charged whether the credits were added to the window's spend
 * @param spent   the window's spend after the call: with the credits when charged, without them when not
 */
public record CreditCharge(boolean charged, long spent) {
}
