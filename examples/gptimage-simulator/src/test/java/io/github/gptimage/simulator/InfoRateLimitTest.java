package io.github.gptimage.simulator;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InfoRateLimitTest {

    @Test
    void aFourthCallWithinOneSecondIsRateLimitedPerTask() throws InterruptedException {
        try (GptImageSimulator simulator = GptImageSimulator.builder().completionTime(Duration.ofSeconds(5)).build()
                .start()) {
            ApiClient client = ApiClient.withDefaultKey(simulator);
            String task = client.createTask(Map.of("prompt", "a cat", "size", "1:1"));
            String otherTask = client.createTask(Map.of("prompt", "a dog", "size", "1:1"));

            // a first call warms the server up, so that the next four come within the second the limit counts
            assertThat(client.info(otherTask).code()).isEqualTo(200);
            for (int i = 0; i < 3; i++) {
                assertThat(client.info(task).code()).isEqualTo(200);
            }
            ApiClient.Answer limited = client.info(task);
            assertThat(limited.status()).isEqualTo(200);
            assertThat(limited.code()).isEqualTo(429);
            assertThat(limited.response().headers().firstValue("Retry-After")).hasValue("1");
            assertThat(client.info(otherTask).code()).isEqualTo(200);

            Thread.sleep(1100);
            assertThat(client.info(task).code()).isEqualTo(200);
            assertThat(simulator.stats().infoCalls()).isEqualTo(7);
        }
    }
}
