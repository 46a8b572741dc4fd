package io.github.gptimage.camel;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.github.gptimage.camel.error.GptImageAuthenticationException;
import io.github.gptimage.camel.error.GptImageSubmitInDoubtException;
import io.github.gptimage.camel.error.GptImageTransportException;
import io.github.gptimage.camel.error.GptImageValidationException;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.apache.camel.util.URISupport;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.gptimage.camel.ApiStubs.GENERATE_PATH;
import static io.github.gptimage.camel.ApiStubs.INFO_PATH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API key is sent to the service and shown nowhere else: not in the component's or Camel's log output at DEBUG,
 * not in exception messages or traces (a 401 included), not in the endpoint's printed URI, not in JMX attributes.
 * (Camel's route dumps and its placeholder DEBUG log: {@link RouteDumpSecrecyTest}.)
 */
class ApiKeySecrecyTest extends GptImageTestSupport {

    @Override
    public void configureTest(TestExecutionConfiguration testExecutionConfiguration) {
        super.configureTest(testExecutionConfiguration);
        testExecutionConfiguration.withEnableJMX();
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:generate").routeId("generate").to(generateUri("size=2:3")).to("log:generated?showAll=true");
                from("direct:info").routeId("info").to(uri("info", null)).to("log:info?showAll=true");
            }
        };
    }

    private static String trace(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    @Test
    void keyIsNotLoggedByTheComponentOrCamelAtDebug() {
        stubGenerate("task-s");
        api.stubFor(post(urlPathEqualTo(INFO_PATH)).willReturn(aResponse().withStatus(401)
                .withBody("{\"code\":401,\"msg\":\"invalid key\",\"data\":null}")));

        String logged;
        try (LogCapture log = LogCapture.withLevels(Map.of("io.github.gptimage", Level.DEBUG,
                "org.apache.camel", Level.DEBUG))) {
            Exchange ok = send("direct:generate", "A cat");
            Exchange failed = send("direct:info", "task-s");
            assertThat(ok.getException()).isNull();
            assertThat(failed.getException()).isInstanceOf(GptImageAuthenticationException.class);
            logged = log.text();
        }

        assertThat(logged).as("captured DEBUG output").contains("gptimage").contains("GptImageAuthenticationException");
        assertThat(logged).doesNotContain(API_KEY);
    }

    @Test
    void keyIsNotInExceptionsOfA401() {
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(aResponse().withStatus(401)
                .withBody("{\"code\":401,\"msg\":\"invalid key\",\"data\":null}")));

        Exchange exchange = send("direct:generate", "A cat");

        GptImageAuthenticationException error = failure(exchange, GptImageAuthenticationException.class);
        assertThat(error.getMessage()).doesNotContain(API_KEY);
        assertThat(error.toString()).doesNotContain(API_KEY);
        assertThat(trace(error)).doesNotContain(API_KEY);
        assertThat(error.getHttpResponseStatus()).doesNotContain(API_KEY);
    }

    @Test
    void keyIsNotInTransportOrValidationExceptions() {
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH))
                .willReturn(aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
        api.stubFor(post(urlPathEqualTo(INFO_PATH))
                .willReturn(aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));

        Exchange reset = send("direct:generate", "A cat");
        Exchange resetInfo = send("direct:info", "task-reset");
        Exchange invalid = send("direct:generate", "A cat", Map.of(GptImageConstants.SIZE, "9:9"));

        assertThat(trace(failure(reset, GptImageSubmitInDoubtException.class))).doesNotContain(API_KEY);
        assertThat(trace(failure(resetInfo, GptImageTransportException.class))).doesNotContain(API_KEY);
        assertThat(trace(failure(invalid, GptImageValidationException.class))).doesNotContain(API_KEY);
    }

    @Test
    void keyIsNotInThePrintedEndpointUri() {
        Endpoint endpoint = context.getEndpoint(generateUri("size=3:2"));

        assertThat(endpoint.toString()).contains("gptimage").doesNotContain(API_KEY);
        assertThat(URISupport.sanitizeUri(endpoint.getEndpointUri())).contains("apiKey=xxxxxx").doesNotContain(API_KEY);
        assertThat(URISupport.sanitizeUri(endpoint.getEndpointKey())).doesNotContain(API_KEY);
    }

    @Test
    void keyIsNotInAnyJmxAttributeOrName() throws Exception {
        stubGenerate("task-jmx");
        send("direct:generate", "A cat");
        MBeanServer server = context.getManagementStrategy().getManagementAgent().getMBeanServer();
        Set<ObjectName> names = server.queryNames(new ObjectName("org.apache.camel:*"), null);

        assertThat(names).as("a managed gptimage endpoint")
                .anyMatch(name -> "endpoints".equals(name.getKeyProperty("type"))
                                  && name.toString().contains("gptimage"));
        List<String> leaks = new ArrayList<>();
        List<String> sanitizedUris = new ArrayList<>();
        for (ObjectName name : names) {
            if (name.toString().contains(API_KEY)) {
                leaks.add(name.toString());
            }
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                if (!attribute.isReadable()) {
                    continue;
                }
                Object value;
                try {
                    value = server.getAttribute(name, attribute.getName());
                } catch (Exception unreadable) {
                    continue;
                }
                String text = value != null ? deepToString(value) : "";
                if (text.contains(API_KEY)) {
                    leaks.add(name + " " + attribute.getName());
                }
                if (text.contains("gptimage://generate") && text.contains("apiKey=xxxxxx")) {
                    sanitizedUris.add(name + " " + attribute.getName());
                }
            }
        }
        assertThat(leaks).as("JMX attributes showing the key").isEmpty();
        assertThat(sanitizedUris).as("JMX attributes showing the endpoint URI, key masked").isNotEmpty();
    }

    private static String deepToString(Object value) {
        if (value instanceof Object[] array) {
            return java.util.Arrays.deepToString(array);
        }
        return String.valueOf(value);
    }
}
