package io.github.gptimage.camel.kamelets;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.direct.DirectComponent;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gptimage-sink Kamelet, loaded from the classpath (kamelets/, where the kamelet component looks by default) by
 * the YAML DSL's Kamelet loader, which makes it the route template gptimage-sink with the Kamelet's properties as
 * parameters, and run against a WireMock stand-in of the API.
 * <p>
 * Not run through the kamelet component itself: camel-kamelet 4.22.0 cannot be resolved from the Maven repository
 * this project builds with. Its kamelet:source is therefore served here by a direct component bound under the name
 * kamelet, and the template is instantiated with its parameters as kamelet:gptimage-sink?apiKey=...&amp;baseUrl=...
 * would do. What this covers: the YAML, the required and default properties, the placeholders and the gptimage
 * endpoint they make; what it does not: the kamelet component's own parameter passing.
 */
class GptImageSinkKameletTest extends CamelTestSupport {

    static final String RESOURCE = "kamelets/gptimage-sink.kamelet.yaml";
    static final String GENERATE_PATH = "/paid/gpt4o-image/generate";

    @RegisterExtension
    static WireMockExtension api = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.addComponent("kamelet", new DirectComponent());
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveResource(context, "classpath:" + RESOURCE));
        return context;
    }

    private void sink(Map<String, Object> parameters) throws Exception {
        TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(context, "gptimage-sink").routeId("sink");
        parameters.forEach(builder::parameter);
        builder.add();
    }

    @Test
    void aPromptInIsATaskIdOut() throws Exception {
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH))
                .willReturn(okJson("{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"task-kamelet-1\"}}")));
        // a key with characters a URI would take apart
        sink(Map.of("apiKey", "k&y+=1", "baseUrl", api.baseUrl(), "size", "3:2", "nVariants", 2));

        String taskId = template.requestBody("kamelet:source", "A red fox in fresh snow, woodcut", String.class);

        assertThat(taskId).isEqualTo("task-kamelet-1");
        api.verify(1, postRequestedFor(urlPathEqualTo(GENERATE_PATH))
                .withHeader("x-api-key", equalTo("k&y+=1"))
                .withRequestBody(equalToJson("{\"prompt\":\"A red fox in fresh snow, woodcut\",\"size\":\"3:2\","
                                             + "\"nVariants\":2}", true, true)));
    }

    @Test
    void defaultsAreOneSquareImageUntracked() throws Exception {
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH))
                .willReturn(okJson("{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"task-kamelet-2\"}}")));
        sink(Map.of("apiKey", "kamelet-key", "baseUrl", api.baseUrl()));

        assertThat(template.requestBody("kamelet:source", "A lighthouse", String.class)).isEqualTo("task-kamelet-2");

        api.verify(1, postRequestedFor(urlPathEqualTo(GENERATE_PATH))
                .withRequestBody(equalToJson("{\"prompt\":\"A lighthouse\",\"size\":\"1:1\",\"nVariants\":1}", true,
                        true)));
        // trackCompletion=false: the sink leaves nothing to poll
        Thread.sleep(500);
        assertThat(api.findAll(postRequestedFor(urlPathEqualTo("/paid/gpt4o-image/info")))).isEmpty();
    }

    @Test
    void theApiKeyIsRequired() {
        assertThatThrownBy(() -> sink(Map.of("baseUrl", api.baseUrl())))
                .hasMessageContaining("apiKey");
    }

    @Test
    @SuppressWarnings("unchecked")
    void definitionDeclaresEveryPlaceholderAndMarksTheKeySecret() throws Exception {
        Map<String, Object> kamelet;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(RESOURCE)) {
            assertThat(in).as(RESOURCE + " on the classpath").isNotNull();
            kamelet = map(new Load(LoadSettings.builder().build()).loadFromInputStream(in));
        }
        assertThat(map(kamelet.get("metadata")).get("name")).isEqualTo("gptimage-sink");
        assertThat(map(map(kamelet.get("metadata")).get("labels")).get("camel.apache.org/kamelet.type"))
                .isEqualTo("sink");
        Map<String, Object> definition = map(map(kamelet.get("spec")).get("definition"));
        Map<String, Object> properties = map(definition.get("properties"));
        assertThat(properties).containsOnlyKeys("apiKey", "baseUrl", "size", "nVariants", "trackCompletion");
        assertThat(definition.get("required")).isEqualTo(List.of("apiKey"));

        Map<String, Object> apiKey = map(properties.get("apiKey"));
        assertThat(apiKey.get("format")).isEqualTo("password");
        assertThat((List<Object>) apiKey.get("x-descriptors"))
                .contains("urn:alm:descriptor:com.tectonic.ui:password", "urn:camel:group:credentials");

        Set<String> placeholders = new TreeSet<>();
        Matcher matcher = Pattern.compile("\\{\\{(\\w+)}}").matcher(String.valueOf(map(kamelet.get("spec")).get("template")));
        while (matcher.find()) {
            placeholders.add(matcher.group(1));
        }
        assertThat(placeholders).isEqualTo(properties.keySet().stream().collect(TreeSet::new, Set::add, Set::addAll));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        assertThat(node).isInstanceOf(Map.class);
        return (Map<String, Object>) node;
    }
}
