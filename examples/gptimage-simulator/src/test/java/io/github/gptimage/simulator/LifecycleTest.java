package io.github.gptimage.simulator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LifecycleTest {

    @Test
    void listensOnTheChosenPortUntilStoppedAndCannotRestart() {
        GptImageSimulator simulator = GptImageSimulator.builder().build().start();
        assertThat(simulator.isRunning()).isTrue();
        assertThat(simulator.port()).isPositive();
        assertThat(simulator.baseUrl()).isEqualTo("http://localhost:" + simulator.port());
        assertThat(simulator.infoUrl("t1")).isEqualTo(simulator.baseUrl() + "/paid/gpt4o-image/info?taskId=t1");

        simulator.close();

        assertThat(simulator.isRunning()).isFalse();
        assertThatThrownBy(simulator::start).isInstanceOf(IllegalStateException.class);
    }
}
