package io.github.gptimage.camel;

import java.time.Duration;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import static io.github.gptimage.camel.ApiStubs.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A final task that no consumer takes within {@code finalRetention} is dropped, with one WARN naming it. */
class FinalRetentionTest extends GptImageTestSupport {

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = withTestStore(super.createCamelContext());
        context.getComponent("gptimage", GptImageComponent.class).setFinalRetention(500);
        return context;
    }

    @Test
    void finalTaskNobodyTakesIsDroppedWithOneWarning() {
        stubGenerate("t-orphan");
        stubInfo("t-orphan", success("t-orphan", "https://cdn.example.com/t-orphan.png"));

        try (LogCapture log = LogCapture.warnings()) {
            assertThat(submit(uri("generate", "pollInitialDelay=334")).getException()).isNull();

            await().atMost(Duration.ofSeconds(5)).until(() -> infoCallCount("t-orphan") == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> storedTasks() == 0);
            await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(3))
                    .until(() -> log.linesContaining("t-orphan").size() == 1);
            assertThat(log.linesContaining("t-orphan").get(0)).contains("finalRetention").contains("dropped");
            assertThat(infoCallCount("t-orphan")).isEqualTo(1);
        }
    }
}
