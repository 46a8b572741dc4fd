package io.github.gptimage.simulator;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandLineTest {

    @Test
    void durationsAcceptShortAndIsoForms() {
        assertThat(CommandLine.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(CommandLine.duration("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(CommandLine.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(CommandLine.duration("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void optionsConfigureTheSimulator() {
        try (GptImageSimulator simulator = CommandLine.parse("--port", "0", "--completion-time", "200ms",
                "--api-key", "a", "--api-key", "b", "--http-status-errors").build().start()) {
            ApiClient client = new ApiClient(simulator.baseUrl(), "a");

            assertThat(client.generate(Map.of("prompt", "x", "size", "1:1")).status()).isEqualTo(200);
            assertThat(client.withKey("b").generate(Map.of("prompt", "x", "size", "1:1")).status()).isEqualTo(200);
            assertThat(client.withKey("sim-key").generate(Map.of("prompt", "x", "size", "1:1")).status())
                    .isEqualTo(401);
        }
    }

    @Test
    void callbackRetryOptionsAreRead() {
        SimulatorSettings settings = CommandLine.parse("--callback-retry-delays", "2s, 10s,1m",
                "--callback-retry-scale", "0.5", "--callback-timeout", "3s").settings();

        assertThat(settings.scaledCallbackRetryDelays())
                .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30));
        assertThat(settings.callbackTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(CommandLine.parse("--callback-retry-delays", "none").settings().callbackRetryDelays()).isEmpty();
        assertThat(CommandLine.parse().settings().scaledCallbackRetryDelays())
                .isEqualTo(GptImageSimulator.DEFAULT_CALLBACK_RETRY_DELAYS);
        assertThatThrownBy(() -> CommandLine.parse("--callback-retry-scale", "-1"))
                .hasMessageContaining("callbackRetryScale");
    }

    @Test
    void unknownOptionsAndMissingValuesAreRefused() {
        assertThatThrownBy(() -> CommandLine.parse("--colour", "red")).hasMessageContaining("--colour");
        assertThatThrownBy(() -> CommandLine.parse("--port")).hasMessageContaining("needs a value");
    }
}
