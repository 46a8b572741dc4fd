package io.github.gptimage.camel;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The component JSON the Camel plugin generates (read by tooling, catalogs and IDEs) documents every option and
 * header, marks the API key secret, and lists every header constant.
 */
class ComponentMetadataTest {

    private static JsonNode metadata;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = ComponentMetadataTest.class.getClassLoader()
                .getResourceAsStream("META-INF/io/github/gptimage/camel/gptimage.json")) {
            assertThat(in).as("generated component JSON on the classpath").isNotNull();
            metadata = new ObjectMapper().readTree(in);
        }
    }

    private static void assertDescribed(String section) {
        JsonNode entries = metadata.get(section);
        assertThat(entries).as(section).isNotNull();
        assertThat(entries.size()).as(section).isPositive();
        entries.fields().forEachRemaining(entry -> assertThat(entry.getValue().path("description").asText())
                .as(section + "." + entry.getKey() + " description").isNotBlank());
    }

    @Test
    void componentIsDescribed() {
        assertThat(metadata.at("/component/scheme").asText()).isEqualTo("gptimage");
        assertThat(metadata.at("/component/syntax").asText()).isEqualTo("gptimage:operation");
        assertThat(metadata.at("/component/description").asText()).isNotBlank();
        assertThat(metadata.at("/component/javaType").asText()).isEqualTo(GptImageComponent.class.getName());
    }

    @Test
    void everyComponentPropertyHasADescription() {
        assertDescribed("componentProperties");
    }

    @Test
    void everyEndpointPropertyHasADescription() {
        assertDescribed("properties");
        assertThat(metadata.at("/properties/operation/enum").toString()).contains("generate", "info", "tasks");
    }

    @Test
    void everyHeaderHasADescription() {
        assertDescribed("headers");
    }

    @Test
    void apiKeyIsARequiredSecretOnComponentAndEndpoint() {
        for (String section : List.of("componentProperties", "properties")) {
            JsonNode apiKey = metadata.get(section).get("apiKey");
            assertThat(apiKey).as(section + ".apiKey").isNotNull();
            assertThat(apiKey.get("secret").asBoolean()).as(section + ".apiKey secret").isTrue();
            assertThat(apiKey.get("required").asBoolean()).as(section + ".apiKey required").isTrue();
        }
    }

    @Test
    void everyOptionOfTheConfigurationIsOnComponentAndEndpoint() {
        List<String> options = List.of("apiKey", "baseUrl", "size", "prompt", "filesUrl", "maskUrl", "nVariants",
                "enhance", "uploadCn", "enableFallback", "fallbackModel", "callbackUrl", "connectTimeout",
                "requestTimeout", "httpClient");
        for (String option : options) {
            assertThat(metadata.get("componentProperties").has(option)).as("component option " + option).isTrue();
            assertThat(metadata.get("properties").has(option)).as("endpoint option " + option).isTrue();
        }
    }

    @Test
    void headersListEveryHeaderConstant() throws Exception {
        List<String> constants = new ArrayList<>();
        for (Field field : GptImageConstants.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                constants.add((String) field.get(null));
            }
        }
        assertThat(constants).contains("CamelGptImagePrompt", "CamelGptImageSize", "CamelGptImageFilesUrl",
                "CamelGptImageFileUrl", "CamelGptImageMaskUrl", "CamelGptImageVariants", "CamelGptImageEnhance",
                "CamelGptImageEnableFallback", "CamelGptImageFallbackModel", "CamelGptImageCallbackUrl",
                "CamelGptImageTaskId", "CamelGptImageStatus", "CamelGptImageProgress", "CamelGptImageResultUrls",
                "CamelGptImageErrorCode", "CamelGptImageErrorMessage", "CamelGptImageCreateTime",
                "CamelGptImageCompleteTime");

        List<String> headers = new ArrayList<>();
        metadata.get("headers").fieldNames().forEachRemaining(headers::add);
        assertThat(headers).containsExactlyInAnyOrderElementsOf(constants);
        assertThat(metadata.at("/headers/CamelGptImageFileUrl/deprecated").asBoolean()).isTrue();
    }
}
