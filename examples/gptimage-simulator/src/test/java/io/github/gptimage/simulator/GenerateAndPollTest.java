package io.github.gptimage.simulator;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class GenerateAndPollTest {

    @AutoClose
    private static final GptImageSimulator simulator = GptImageSimulator.builder()
            .completionTime(Duration.ofMillis(300))
            .build().start();
    private static final ApiClient client = ApiClient.withDefaultKey(simulator);

    @Test
    void generateAnswersATaskIdThatInfoReportsUntilSuccess() throws IOException {
        Map<String, Object> request = Map.of("prompt", "A beautiful sunset over the mountains", "size", "1:1",
                "isEnhance", false);
        ApiClient.Answer created = client.generate(request);
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.code()).isEqualTo(200);
        assertThat(created.msg()).isEqualTo("success");
        String taskId = created.data().path("taskId").asText();
        assertThat(taskId).matches("[0-9a-f]{32}");

        JsonNode generating = client.info(taskId).data();
        assertThat(generating.path("status").asText()).isEqualTo("GENERATING");
        assertThat(generating.path("successFlag").asInt()).isZero();
        assertThat(generating.path("progress").asText()).matches("0\\.\\d\\d");
        assertThat(generating.get("completeTime").isNull()).isTrue();
        assertThat(generating.get("response").isNull()).isTrue();
        assertThat(ApiClient.MAPPER.readTree(generating.path("paramJson").asText()))
                .isEqualTo(ApiClient.MAPPER.valueToTree(request));

        JsonNode done = client.awaitFinal(taskId);
        assertThat(done.path("status").asText()).isEqualTo("SUCCESS");
        assertThat(done.path("successFlag").asInt()).isEqualTo(1);
        assertThat(done.path("progress").asText()).isEqualTo("1.00");
        assertThat(done.path("errorMessage").asText()).isEmpty();
        assertThat(done.get("errorCode").isNull()).isTrue();
        assertThat(done.path("completeTime").asLong()).isGreaterThanOrEqualTo(done.path("createTime").asLong() + 300);
        assertThat(done.path("response").path("resultUrls")).hasSize(1);
        assertThat(simulator.stats().tasksCreated()).isPositive();
    }

    @Test
    void progressRisesWhileGenerating() {
        try (GptImageSimulator slowTasks = GptImageSimulator.builder().completionTime(Duration.ofSeconds(2)).build()
                .start()) {
            ApiClient slowClient = ApiClient.withDefaultKey(slowTasks);
            String taskId = slowClient.createTask(Map.of("prompt", "a slow cat", "size", "1:1"));
            List<Double> progress = new ArrayList<>();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(400)).until(() -> {
                JsonNode data = slowClient.info(taskId).data();
                progress.add(Double.parseDouble(data.path("progress").asText()));
                return data.path("status").asText().equals("SUCCESS");
            });
            assertThat(progress).isSorted().doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(4).endsWith(1.0);
            assertThat(progress.get(0)).isLessThan(0.5);
            assertThat(progress.get(progress.size() - 2)).isBetween(0.5, 0.99);
        }
    }

    @ParameterizedTest
    @CsvSource({"1:1, 1, 1024, 1024", "3:2, 2, 1536, 1024", "2:3, 4, 1024, 1536"})
    void resultsArePngFilesOfTheRequestedSizeOnePerVariant(String size, int variants, int width, int height)
            throws IOException {
        String taskId = client.createTask(Map.of("prompt", "A red fox in the snow, " + size, "size", size,
                "nVariants", variants));
        JsonNode urls = client.awaitFinal(taskId).path("response").path("resultUrls");

        assertThat(urls).hasSize(variants);
        for (JsonNode url : urls) {
            assertThat(url.asText()).startsWith(simulator.baseUrl() + "/files/" + taskId + "_");
            ApiClient.Answer file = client.get(url.asText());
            assertThat(file.status()).isEqualTo(200);
            assertThat(file.response().headers().firstValue("Content-Type")).hasValue("image/png");
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(file.response().body()));
            assertThat(image.getWidth()).isEqualTo(width);
            assertThat(image.getHeight()).isEqualTo(height);
        }
    }

    @Test
    void filesOfUnfinishedTasksOrUnknownVariantsAreNotFound() {
        try (GptImageSimulator slowTasks = GptImageSimulator.builder().completionTime(Duration.ofSeconds(5)).build()
                .start()) {
            String taskId = ApiClient.withDefaultKey(slowTasks)
                    .createTask(Map.of("prompt", "not yet", "size", "1:1"));
            assertThat(client.get(slowTasks.baseUrl() + "/files/" + taskId + "_1.png").status()).isEqualTo(404);
        }
        String taskId = client.createTask(Map.of("prompt", "two cats", "size", "1:1", "nVariants", 2));
        client.awaitFinal(taskId);
        assertThat(client.get(simulator.baseUrl() + "/files/" + taskId + "_3.png").status()).isEqualTo(404);
        assertThat(client.get(simulator.baseUrl() + "/files/unknown_1.png").status()).isEqualTo(404);
    }
}
