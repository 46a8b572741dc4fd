package io.github.gptimage.camel;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "done when" check: a plain CamelContext, with no component added by hand, resolves {@code gptimage:} through the
 * generated {@code META-INF/services/org/apache/camel/component/gptimage} and sends exactly the documented request.
 */
class ServiceFileResolutionTest {

    @RegisterExtension
    static WireMockExtension api = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Test
    void plainContextResolvesTheComponentAndSendsTheDocumentedRequest() throws Exception {
        api.stubFor(post(urlPathEqualTo("/paid/gpt4o-image/generate")).willReturn(aResponse().withStatus(200)
                .withBody("{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"task12345\"}}")));
        assertThat(getClass().getClassLoader().getResource("META-INF/services/org/apache/camel/component/gptimage"))
                .as("generated service file").isNotNull();

        try (CamelContext context = new DefaultCamelContext()) {
            context.start();
            assertThat(context.getComponentNames()).doesNotContain("gptimage");
            ProducerTemplate template = context.createProducerTemplate();

            String taskId = template.requestBody(
                    "gptimage:generate?apiKey=RAW(k)&size=3:2&nVariants=2&baseUrl=" + api.baseUrl(),
                    "A watercolour of a harbour at dawn", String.class);

            assertThat(taskId).isEqualTo("task12345");
            assertThat(context.getComponent("gptimage")).isInstanceOf(GptImageComponent.class);
        }
        List<LoggedRequest> requests = api.findAll(postRequestedFor(urlPathEqualTo("/paid/gpt4o-image/generate")));
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).getHeader("x-api-key")).isEqualTo("k");
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(requests.get(0).getBodyAsString())).isEqualTo(json.readTree(
                "{\"size\":\"3:2\",\"nVariants\":2,\"prompt\":\"A watercolour of a harbour at dawn\"}"));
    }
}
