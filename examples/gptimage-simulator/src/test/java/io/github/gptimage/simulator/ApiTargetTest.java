package io.github.gptimage.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiTargetTest {

    @Test
    void withoutAKeyStartsASimulatorAndPointsTheComponentAtIt() {
        List<String> warnings = new ArrayList<>();
        GptImageSimulator simulator;
        try (ApiTarget api = ApiTarget.resolve(Map.of(), Map.of(), warnings::add)) {
            simulator = api.simulator().orElseThrow();
            assertThat(simulator.isRunning()).isTrue();
            assertThat(api.properties()).containsOnly(
                    Map.entry(ApiTarget.API_KEY_PROPERTY, GptImageSimulator.DEFAULT_API_KEY),
                    Map.entry(ApiTarget.BASE_URL_PROPERTY, simulator.baseUrl()));
            assertThat(api.quickPollingProperties()).containsOnlyKeys(
                    "camel.component.gptimage.poll-initial-delay", "camel.component.gptimage.poll-max-interval");
            assertThat(warnings).singleElement().asString()
                    .startsWith("No GPTIMAGE_API_KEY set").contains(simulator.baseUrl());
        }
        assertThat(simulator.isRunning()).as("stopped by close").isFalse();
    }

    @Test
    void aKeyInThePropertiesOrTheEnvironmentSelectsTheRealService() {
        List<String> warnings = new ArrayList<>();
        try (ApiTarget fromEnv = ApiTarget.resolve(Map.of(), Map.of(ApiTarget.API_KEY_ENV, "env-key"), warnings::add);
             ApiTarget fromProperty = ApiTarget.resolve(Map.of(ApiTarget.API_KEY_PROPERTY, "property-key"),
                     Map.of(ApiTarget.API_KEY_ENV, "env-key"), warnings::add)) {
            assertThat(fromEnv.simulator()).isEmpty();
            assertThat(fromEnv.properties()).containsOnly(Map.entry(ApiTarget.API_KEY_PROPERTY, "env-key"));
            assertThat(fromEnv.quickPollingProperties()).isEmpty();
            assertThat(fromProperty.properties()).containsOnly(Map.entry(ApiTarget.API_KEY_PROPERTY, "property-key"));
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void nameValueArgumentsArePropertiesAndOthersAreLeft() {
        Map<String, String> properties = new LinkedHashMap<>();

        assertThat(ExampleArguments.putProperty("--gptimage.inbox=/tmp/in=box", properties)).isTrue();
        assertThat(ExampleArguments.putProperty("--serve", properties)).isFalse();
        assertThat(ExampleArguments.putProperty("-x=1", properties)).isFalse();
        assertThat(properties).containsExactly(Map.entry("gptimage.inbox", "/tmp/in=box"));
    }
}
