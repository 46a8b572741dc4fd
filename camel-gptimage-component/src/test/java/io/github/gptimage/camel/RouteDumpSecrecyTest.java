package io.github.gptimage.camel;

import io.github.gptimage.camel.error.GptImageAuthenticationException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedCamelContextMBean;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.DumpRoutesStrategy;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.gptimage.camel.ApiStubs.GENERATE_PATH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The key outside the component's own output: Camel's route dumps, Camel's property placeholder logging, Apache
 * HttpClient's header logging, and keys holding characters that URIs give a meaning to. What the component cannot
 * change (Camel prints a route's endpoint URIs as written, placeholders resolved) is pinned here as the README
 * documents it, with the forms that keep the key out.
 */
class RouteDumpSecrecyTest extends GptImageTestSupport {

    /** A key with the characters a URI splits on. */
    static final String SPECIAL_KEY = "k3y&sec=ret+plus";
    static final String COMPONENT_KEY = "component-key-0f-the-app";

    @Override
    public void configureTest(TestExecutionConfiguration testExecutionConfiguration) {
        super.configureTest(testExecutionConfiguration);
        testExecutionConfiguration.withEnableJMX();
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties properties = new Properties();
        properties.put("secret.key", API_KEY);
        properties.put("special.apikey", SPECIAL_KEY);
        return properties;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getComponent("gptimage", GptImageComponent.class).getConfiguration().setApiKey(COMPONENT_KEY);
        return context;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // the key in the URI, through a placeholder
                from("direct:in-uri").routeId("in-uri")
                        .to("gptimage:generate?apiKey=RAW({{secret.key}})&baseUrl=" + api.baseUrl());
                // the key on the component (camel.component.gptimage.api-key): the URI has none
                from("direct:on-component").routeId("on-component").to("gptimage:generate?baseUrl=" + api.baseUrl());
                // a key holding & = +, in the documented forms
                from("direct:special-raw").routeId("special-raw")
                        .to("gptimage:generate?apiKey=RAW(" + SPECIAL_KEY + ")&account=raw&baseUrl=" + api.baseUrl());
                from("direct:special-placeholder").routeId("special-placeholder")
                        .to("gptimage:generate?apiKey=RAW({{special.apikey}})&account=placeholder&baseUrl="
                            + api.baseUrl());
            }
        };
    }

    private ManagedCamelContextMBean managed() {
        return context.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class).getManagedCamelContext();
    }

    /** camel.main.dumpRoutes=xml: Camel's DumpRoutesStrategy logs the routes at start-up, placeholders resolved. */
    private String dumpRoutesStrategyOutput(boolean resolvePlaceholders) {
        DumpRoutesStrategy strategy = context.getCamelContextExtension().getContextPlugin(DumpRoutesStrategy.class);
        strategy.setResolvePlaceholders(resolvePlaceholders);
        try (LogCapture log = LogCapture.withLevels(Map.of("org.apache.camel.impl", Level.INFO))) {
            strategy.dumpRoutes("xml");
            return log.text();
        }
    }

    @Test
    void aKeySetOnTheComponentIsInNoRouteDump() throws Exception {
        String jmx = managed().dumpRoutesAsXml(true);
        String strategy = dumpRoutesStrategyOutput(true);

        assertThat(jmx).contains("route id=\"on-component\"").doesNotContain(COMPONENT_KEY);
        assertThat(strategy).contains("on-component").doesNotContain(COMPONENT_KEY);
    }

    @Test
    void aPlaceholderKeyStaysAPlaceholderInDumpsThatDoNotResolvePlaceholders() throws Exception {
        String jmx = managed().dumpRoutesAsXml(false);
        String strategy = dumpRoutesStrategyOutput(false);

        assertThat(jmx).contains("apiKey=RAW({{secret.key}})").doesNotContain(API_KEY);
        assertThat(strategy).contains("apiKey=RAW({{secret.key}})").doesNotContain(API_KEY);
    }

    /**
     * Camel 4.22 itself prints a key written in the URI (RAW(...) or a placeholder) in dumps that resolve
     * placeholders, the default of camel.main.dumpRoutes and of JMX dumpRoutesAsXml(true): it dumps the route model as
     * written and masks nothing there, and the component has no say in it. The README says so; when this fails,
     * Camel masks the key and the README can say less.
     */
    @Test
    void camelPrintsAKeyWrittenInTheUriInDumpsThatResolvePlaceholders() throws Exception {
        assertThat(managed().dumpRoutesAsXml(true)).contains("apiKey=RAW(" + API_KEY + ")");
        assertThat(dumpRoutesStrategyOutput(true)).contains(API_KEY);
    }

    /** Camel's properties parser logs every resolved value at DEBUG: its category at INFO keeps the key out. */
    @Test
    void camelsPlaceholderDebugLogShowsTheKeyUnlessItsCategoryIsAtInfo() throws Exception {
        String quiet;
        try (LogCapture log = LogCapture.withLevels(Map.of("org.apache.camel", Level.DEBUG,
                "org.apache.camel.component.properties", Level.INFO))) {
            context.resolvePropertyPlaceholders("{{secret.key}}");
            context.getEndpoint("gptimage:generate?apiKey=RAW({{secret.key}})&account=quiet&baseUrl=" + api.baseUrl());
            quiet = log.text();
        }
        String loud;
        try (LogCapture log = LogCapture.withLevels(Map.of("org.apache.camel.component.properties", Level.DEBUG))) {
            context.resolvePropertyPlaceholders("{{secret.key}}");
            loud = log.text();
        }

        assertThat(quiet).doesNotContain(API_KEY);
        assertThat(loud).as("Camel's own DEBUG output, documented in the README").contains(API_KEY);
    }

    @Test
    void aKeyWithAmpersandEqualsAndPlusIsSentExactlyInTheDocumentedForms() throws Exception {
        stubGenerate("task-special");

        for (String route : new String[] {"direct:special-raw", "direct:special-placeholder"}) {
            Exchange exchange = send(route, "A cat");
            assertThat(exchange.getException()).as(route).isNull();
        }

        api.verify(2, postRequestedFor(urlPathEqualTo(GENERATE_PATH)).withHeader("x-api-key", equalTo(SPECIAL_KEY)));
    }

    @Test
    void aKeyWithAmpersandEqualsAndPlusLeaksInNoErrorOrDumpInTheDocumentedForms() throws Exception {
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(aResponse().withStatus(401)
                .withBody("{\"code\":401,\"msg\":\"invalid key\",\"data\":null}")));

        Exchange raw = send("direct:special-raw", "A cat");
        Exchange placeholder = send("direct:special-placeholder", "A cat");

        for (Exchange exchange : new Exchange[] {raw, placeholder}) {
            GptImageAuthenticationException error = failure(exchange, GptImageAuthenticationException.class);
            assertThat(trace(error)).doesNotContain(SPECIAL_KEY).doesNotContain("sec=ret").doesNotContain("ret+plus");
        }
        assertThat(context.getEndpoints()).allSatisfy(endpoint -> assertThat(endpoint.toString())
                .doesNotContain("sec=ret").doesNotContain("ret+plus"));
        // (a key written literally in a URI, RAW or not, is in the route model, so in every dump: see above)
    }

    /**
     * The undocumented form: the key URL-encoded in the URI. Camel's normalisation splits it at the &amp; and the part
     * after it becomes an unknown option that Camel names in its error: the endpoint is refused, nothing is sent.
     */
    @Test
    void aUrlEncodedKeyWithAnAmpersandIsSplitByCamelAndRefused() {
        assertThatThrownBy(() -> context.getEndpoint(
                "gptimage:generate?apiKey=k3y%26sec%3Dret%2Bplus&account=encoded&baseUrl=" + api.baseUrl()))
                .isInstanceOf(ResolveEndpointFailedException.class)
                // Camel masks the part before the & and names the rest as an unknown option, as the README says
                .hasMessageContaining("apiKey=xxxxxx").hasMessageNotContaining("k3y")
                .hasMessageContaining("Unknown parameters=[{sec=ret plus}]");
        assertNoRequestSent();
    }

    @Test
    void startUpWarnsWhenHttpClientsHeaderLogIsAtDebug() throws Exception {
        for (String logger : GptImageComponent.KEY_PRINTING_LOGGERS) {
            try (LogCapture log = LogCapture.withLevels(Map.of(logger, Level.DEBUG));
                 CamelContext app = appWithOneEndpoint()) {
                app.start();

                assertThat(log.linesContaining("is at DEBUG: Apache HttpClient prints every request header"))
                        .as("start-up warning for %s", logger).singleElement().satisfies(line -> assertThat(line)
                                .startsWith("WARN ").contains(logger).doesNotContain(API_KEY));
            }
        }
    }

    @Test
    void noSuchWarningWhenHttpClientsLogsAreQuiet() throws Exception {
        try (LogCapture log = LogCapture.warnings(); CamelContext app = appWithOneEndpoint()) {
            app.start();

            assertThat(log.linesContaining("Apache HttpClient prints every request header")).isEmpty();
        }
    }

    private CamelContext appWithOneEndpoint() throws Exception {
        CamelContext app = new DefaultCamelContext();
        app.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:draw").to("gptimage:generate?apiKey=RAW(" + API_KEY + ")&baseUrl=" + api.baseUrl());
            }
        });
        return app;
    }

    private static String trace(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
