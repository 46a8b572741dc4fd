package io.github.gptimage.camel;

import java.util.HashMap;
import java.util.Map;

import org.apache.camel.Component;
import org.apache.camel.Exchange;
import org.apache.camel.support.PropertyBindingSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.gptimage.camel.ApiStubs.GENERATE_PATH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Component options bound by name, as camel-main, Spring Boot and Quarkus bind {@code camel.component.gptimage.*}
 * properties (through the component's generated configurer, without reflection; camel-main turns dash-case names into these), configure every endpoint, and an
 * endpoint option still wins over them. A plain CamelContext does not read {@code camel.component.*} properties by
 * itself, so the binding is done here the way camel-main does it.
 */
class GenerateComponentPropertiesTest extends GptImageTestSupport {

    @BeforeEach
    void bindComponentProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("apiKey", "property-key");
        properties.put("baseUrl", api.baseUrl());
        properties.put("size", "2:3");
        properties.put("nVariants", "4");
        properties.put("requestTimeout", "5s");
        Component component = context.getComponent("gptimage");
        boolean bound = PropertyBindingSupport.build()
                .withCamelContext(context)
                .withTarget(component)
                .withConfigurer(component.getComponentPropertyConfigurer())
                .withReflection(false)
                .withProperties(properties)
                .withMandatory(true)
                .bind();
        assertThat(bound).isTrue();
        stubGenerate("task-props");
    }

    @Test
    void boundPropertiesConfigureTheComponent() throws Exception {
        GptImageConfiguration defaults = context.getComponent("gptimage", GptImageComponent.class).getConfiguration();
        assertThat(defaults.getRequestTimeout()).isEqualTo(5000);

        Exchange exchange = send("gptimage:generate", "A dog");

        assertThat(exchange.getException()).isNull();
        api.verify(postRequestedFor(urlPathEqualTo(GENERATE_PATH)).withHeader("x-api-key", equalTo("property-key")));
        assertThat(onlyGenerateBody()).isEqualTo(JSON.readTree(
                "{\"size\":\"2:3\",\"nVariants\":4,\"prompt\":\"A dog\"}"));
    }

    @Test
    void endpointOptionWinsOverBoundProperty() throws Exception {
        send("gptimage:generate?size=3:2&apiKey=RAW(endpoint-key)", "A dog");

        api.verify(postRequestedFor(urlPathEqualTo(GENERATE_PATH)).withHeader("x-api-key", equalTo("endpoint-key")));
        assertThat(onlyGenerateBody()).isEqualTo(JSON.readTree(
                "{\"size\":\"3:2\",\"nVariants\":4,\"prompt\":\"A dog\"}"));
    }
}
