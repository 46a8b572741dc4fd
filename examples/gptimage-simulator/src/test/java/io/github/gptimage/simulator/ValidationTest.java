package io.github.gptimage.simulator;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

class ValidationTest {

    @AutoClose
    private static final GptImageSimulator simulator = GptImageSimulator.builder()
            .completionTime(Duration.ofMillis(300))
            .build().start();
    private static final ApiClient client = ApiClient.withDefaultKey(simulator);

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"prompt":"a cat"}                                                   | 500 | size: This field is required
            {"prompt":"a cat","size":""}                                         | 500 | size: This field is required
            {"prompt":"a cat","size":"4:3"}                                      | 422 | size must be one of 1:1, 3:2, 2:3
            {"prompt":"a cat","size":"1:1","nVariants":3}                        | 422 | nVariants must be one of 1, 2, 4
            {"prompt":"a cat","size":"1:1","nVariants":"2"}                      | 422 | nVariants must be one of 1, 2, 4
            {"size":"1:1"}                                                       | 422 | prompt or filesUrl: at least one of them must be provided
            {"size":"1:1","prompt":"  ","filesUrl":[]}                           | 422 | prompt or filesUrl: at least one of them must be provided
            {"size":"1:1","filesUrl":["https://example.com/a.png","https://example.com/a.png","https://example.com/a.png","https://example.com/a.png","https://example.com/a.png","https://example.com/a.png"]} | 422 | filesUrl accepts at most 5 images
            {"size":"1:1","filesUrl":"https://example.com/a.png"}                | 422 | filesUrl must be an array of image URLs
            {"size":"1:1","filesUrl":["not a url"]}                              | 422 | filesUrl must be an http(s) URL
            {"size":"1:1","prompt":"a cat","fallbackModel":"DALL_E"}             | 422 | fallbackModel must be one of GPT_IMAGE_1, FLUX_MAX
            {"size":"1:1","prompt":"a cat","isEnhance":"yes"}                    | 422 | isEnhance must be a boolean
            {"size":"1:1","prompt":"a cat","callBackUrl":"ftp://example.com/cb"} | 422 | callBackUrl must be an http(s) URL
            {"size":"1:1","prompt":"a cat","maskUrl":"mask.png"}                 | 422 | maskUrl must be an http(s) URL
            {"size":"1:1","filesUrl":["https://example.com/a.gif"]}              | 422 | filesUrl must be a .jfif, .pjpeg, .jpeg, .pjp, .jpg, .png, .webp image: https://example.com/a.gif
            {"size":"1:1","filesUrl":["https://example.com/a.png","https://example.com/b"]} | 422 | filesUrl must be a .jfif, .pjpeg, .jpeg, .pjp, .jpg, .png, .webp image: https://example.com/b
            {"size":"1:1","filesUrl":["https://example.com/a.gif?as=b.png"]}     | 422 | filesUrl must be a .jfif, .pjpeg, .jpeg, .pjp, .jpg, .png, .webp image: https://example.com/a.gif?as=b.png
            {"size":"1:1","filesUrl":["https://example.com/png"]}                | 422 | filesUrl must be a .jfif, .pjpeg, .jpeg, .pjp, .jpg, .png, .webp image: https://example.com/png
            {"size":"1:1","filesUrl":["https://example.com/a.png/"]}             | 422 | filesUrl must be a .jfif, .pjpeg, .jpeg, .pjp, .jpg, .png, .webp image: https://example.com/a.png/
            {"size":"1:1","prompt":"a cat","maskUrl":"https://example.com/mask.bmp"} | 422 | maskUrl must be a .jfif, .pjpeg, .jpeg, .pjp, .jpg, .png, .webp image: https://example.com/mask.bmp
            {"size":"1:1","prompt":"一只猫"}                                     | 400 | Only English prompts are supported at this time
            not json                                                             | 422 | The request body must be a JSON object
            [1,2]                                                                | 422 | The request body must be a JSON object
            """)
    void invalidGenerateBodiesAreRefusedWithHttp200AndTheErrorCode(String body, int code, String msg) {
        ApiClient.Answer answer = client.generateRaw(body);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.code()).isEqualTo(code);
        assertThat(answer.msg()).isEqualTo(msg);
        assertThat(answer.data().isNull()).isTrue();
    }

    static Stream<Map<String, Object>> validBodies() {
        return Stream.of(
                Map.of("size", "1:1", "prompt", "Crème brûlée on a café table, 50% zoom!"),
                Map.of("size", "3:2", "filesUrl", Collections.nCopies(5, "https://example.com/a.png")),
                Map.of("size", "2:3", "fileUrl", "https://example.com/a.jpg"),
                Map.of("size", "1:1", "prompt", "a cat", "nVariants", 4, "isEnhance", true, "uploadCn", false,
                        "enableFallback", true, "fallbackModel", "GPT_IMAGE_1", "maskUrl",
                        "https://example.com/mask.png"));
    }

    @ParameterizedTest
    @MethodSource("validBodies")
    void validBodiesCreateTasks(Map<String, Object> body) {
        ApiClient.Answer answer = client.generate(body);

        assertThat(answer.code()).as(answer.body()).isEqualTo(200);
        assertThat(simulator.task(answer.data().path("taskId").asText())).isPresent();
    }

    @ParameterizedTest
    @CsvSource({
            "https://example.com/a.jfif", "https://example.com/a.pjpeg", "https://example.com/a.jpeg",
            "https://example.com/a.pjp", "https://example.com/a.jpg", "https://example.com/a.png",
            "https://example.com/a.webp", "HTTPS://EXAMPLE.COM/PHOTO.PNG", "https://example.com/x/photo.JPEG",
            "https://example.com/a.WebP?signature=abc&width=1", "http://example.com/a.jpg#top",
            "https://example.com/dir.gif/a.png"})
    void everyDocumentedImageExtensionIsAcceptedInAnyCaseAndBeforeAQuery(String url) {
        ApiClient.Answer files = client.generate(Map.of("size", "1:1", "filesUrl", List.of(url)));
        ApiClient.Answer mask = client.generate(Map.of("size", "1:1", "prompt", "a cat", "maskUrl", url));

        assertThat(files.code()).as(files.body()).isEqualTo(200);
        assertThat(mask.code()).as(mask.body()).isEqualTo(200);
    }

    @Test
    void theDeprecatedFileUrlIsNotCheckedForAnExtension() {
        ApiClient.Answer answer = client.generate(Map.of("size", "1:1", "fileUrl", "https://example.com/image"));

        assertThat(answer.code()).as(answer.body()).isEqualTo(200);
    }

    @Test
    void infoWithoutTaskIdIsAMissingField() {
        ApiClient.Answer answer = client.send(client.post(GptImageSimulator.INFO_PATH, null));

        assertThat(answer.code()).isEqualTo(500);
        assertThat(answer.msg()).isEqualTo("taskId: This field is required");
    }

    @Test
    void unknownTaskIsRecordIsNull() {
        ApiClient.Answer answer = client.info("doesnotexist");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.code()).isEqualTo(422);
        assertThat(answer.msg()).isEqualTo("record is null");
    }
}
