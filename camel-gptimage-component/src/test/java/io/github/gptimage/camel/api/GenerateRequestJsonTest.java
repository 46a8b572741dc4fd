package io.github.gptimage.camel.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link GenerateRequest} maps to the API's JSON names, its normalised form holds exactly what is sent, and merging
 * lays only the set fields of one layer over another.
 */
class GenerateRequestJsonTest {

    private final ObjectMapper mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    @Test
    void emptyRequestNormalisesToTheTwoAlwaysSentFields() throws Exception {
        JsonNode json = mapper.valueToTree(GenerateRequest.builder().build().normalized());

        assertThat(json).isEqualTo(mapper.readTree("{\"size\":\"1:1\",\"nVariants\":1}"));
    }

    @Test
    void fullRequestUsesTheApiNames() throws Exception {
        GenerateRequest request = GenerateRequest.builder().size(ImageSize.PORTRAIT).prompt("p")
                .filesUrl("https://a/1.png").maskUrl("https://a/m.png").nVariants(4).enhance(true).uploadCn(true)
                .enableFallback(true).fallbackModel(FallbackModel.GPT_IMAGE_1).callBackUrl("https://cb").build();

        assertThat(mapper.valueToTree(request.normalized()).toString()).isEqualTo(mapper.readTree("""
                {"size":"2:3","prompt":"p","filesUrl":["https://a/1.png"],"maskUrl":"https://a/m.png","nVariants":4,
                 "isEnhance":true,"uploadCn":true,"enableFallback":true,"fallbackModel":"GPT_IMAGE_1",
                 "callBackUrl":"https://cb"}""").toString());
    }

    @Test
    @SuppressWarnings("deprecation")
    void normalisingMovesFileUrlIntoFilesUrlAndDropsFalseBooleans() {
        GenerateRequest normalized = GenerateRequest.builder().fileUrl("https://a/1.png").enhance(false)
                .uploadCn(false).enableFallback(false).filesUrl(List.of()).build().normalized();

        assertThat(normalized.filesUrl()).containsExactly("https://a/1.png");
        assertThat(normalized.fileUrl()).isNull();
        assertThat(normalized.enhance()).isNull();
        assertThat(normalized.uploadCn()).isNull();
        assertThat(normalized.enableFallback()).isNull();
        assertThat(mapper.valueToTree(normalized).has("fileUrl")).isFalse();
    }

    @Test
    @SuppressWarnings("deprecation")
    void fileUrlBesideFilesUrlIsAddedNotDropped() {
        GenerateRequest normalized = GenerateRequest.builder().filesUrl("https://a/1.png", "https://a/2.png")
                .fileUrl("https://a/3.png").build().normalized();

        assertThat(normalized.filesUrl()).containsExactly("https://a/1.png", "https://a/2.png", "https://a/3.png");
    }

    @Test
    void mergeTakesOnlyTheSetFields() {
        GenerateRequest base = GenerateRequest.builder().size("3:2").prompt("base").nVariants(2).enhance(true).build();
        GenerateRequest over = GenerateRequest.builder().prompt("over").enhance(false).build();

        GenerateRequest merged = base.toBuilder().merge(over).merge(null).build();

        assertThat(merged.size()).isEqualTo("3:2");
        assertThat(merged.prompt()).isEqualTo("over");
        assertThat(merged.nVariants()).isEqualTo(2);
        assertThat(merged.enhance()).isFalse();
    }

    @Test
    void readsTheApiNamesFromAMap() {
        GenerateRequest request = mapper.convertValue(Map.of("isEnhance", true, "callBackUrl", "https://cb",
                "nVariants", 2, "filesUrl", List.of("https://a/1.png")), GenerateRequest.class);

        assertThat(request.enhance()).isTrue();
        assertThat(request.callBackUrl()).isEqualTo("https://cb");
        assertThat(request.nVariants()).isEqualTo(2);
        assertThat(request.filesUrl()).containsExactly("https://a/1.png");
    }

    @Test
    void refusesUnknownNames() {
        assertThatThrownBy(() -> mapper.convertValue(Map.of("callbackUrl", "https://cb"), GenerateRequest.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("callbackUrl");
    }

    @Test
    void filesUrlIsCopied() {
        List<String> files = new java.util.ArrayList<>(List.of("https://a/1.png"));
        GenerateRequest request = GenerateRequest.builder().filesUrl(files).build();
        files.add("https://a/2.png");

        assertThat(request.filesUrl()).containsExactly("https://a/1.png");
    }
}
