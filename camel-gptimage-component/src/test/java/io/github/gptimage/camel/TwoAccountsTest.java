package io.github.gptimage.camel;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.github.gptimage.camel.ApiStubs.GENERATE_PATH;
import static io.github.gptimage.camel.ApiStubs.INFO_PATH;
import static io.github.gptimage.camel.ApiStubs.created;
import static io.github.gptimage.camel.ApiStubs.generating;
import static io.github.gptimage.camel.ApiStubs.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two accounts in one context: the component's key and base URL (WireMock {@code api}) and an endpoint with its own
 * (WireMock {@code other}), one task store and one tasks consumer. Each task is polled with the key and at the base URL
 * of the endpoint that submitted it, and both complete through the one consumer.
 */
class TwoAccountsTest extends GptImageTestSupport {

    static final String OTHER_KEY = "other-key-b7d1";

    @RegisterExtension
    static WireMockExtension other = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = withTestStore(super.createCamelContext());
        GptImageConfiguration defaults = context.getComponent("gptimage", GptImageComponent.class).getConfiguration();
        defaults.setApiKey(API_KEY);
        defaults.setBaseUrl(api.baseUrl());
        return context;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:componentAccount").to("gptimage:generate?pollInitialDelay=334&pollMaxInterval=334");
                from("direct:endpointAccount").to("gptimage:generate?apiKey=RAW(" + OTHER_KEY + ")&baseUrl="
                                                  + other.baseUrl() + "&pollInitialDelay=334&pollMaxInterval=334");
                from("gptimage:tasks?initialDelay=0&delay=100").routeId("tasks").to("mock:done");
            }
        };
    }

    @Test
    void eachTaskIsPolledWithItsOwnAccountAndBothCompleteThroughOneConsumer() {
        stubGenerate("task-a");
        stubInfoSequence("task-a", generating("task-a"), success("task-a", "https://cdn.example.com/a.png"));
        other.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(okJson(created("task-b"))));
        other.stubFor(post(urlPathEqualTo(INFO_PATH)).withQueryParam("taskId", equalTo("task-b"))
                .willReturn(success("task-b", "https://cdn.example.com/b.png")));
        MockEndpoint done = getMockEndpoint("mock:done");

        assertThat(submit("direct:componentAccount").getException()).isNull();
        assertThat(submit("direct:endpointAccount").getException()).isNull();

        await().atMost(Duration.ofSeconds(10)).until(() -> done.getReceivedCounter() == 2);
        Set<String> completed = done.getReceivedExchanges().stream()
                .map(exchange -> exchange.getMessage().getHeader(GptImageConstants.TASK_ID, String.class))
                .collect(Collectors.toSet());
        assertThat(completed).containsExactlyInAnyOrder("task-a", "task-b");
        Exchange b = done.getReceivedExchanges().stream()
                .filter(exchange -> "task-b".equals(exchange.getMessage().getHeader(GptImageConstants.TASK_ID)))
                .findFirst().orElseThrow();
        assertThat(b.getMessage().getBody()).asList().containsExactly("https://cdn.example.com/b.png");

        // every call went to its account's base URL with its account's key
        assertThat(api.findAll(anyRequestedFor(anyUrl()))).isNotEmpty()
                .allSatisfy(request -> assertThat(request.getHeader("x-api-key")).isEqualTo(API_KEY));
        assertThat(api.findAll(postRequestedFor(urlPathEqualTo(INFO_PATH)))).map(TwoAccountsTest::taskIdOf)
                .containsOnly("task-a");
        assertThat(other.findAll(anyRequestedFor(anyUrl()))).isNotEmpty()
                .allSatisfy(request -> assertThat(request.getHeader("x-api-key")).isEqualTo(OTHER_KEY));
        assertThat(other.findAll(postRequestedFor(urlPathEqualTo(INFO_PATH)))).map(TwoAccountsTest::taskIdOf)
                .containsOnly("task-b");
        awaitStoreEmpty();
    }

    @Test
    void aCookieOneAccountWasSentGoesWithNoCall() {
        // both WireMock servers are on localhost, and cookies are not told apart by port
        api.stubFor(post(urlPathEqualTo(GENERATE_PATH))
                .willReturn(okJson(created("task-c")).withHeader("Set-Cookie", "session=account-a; Path=/")));
        other.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(okJson(created("task-d"))));
        stubInfo("task-c", generating("task-c"));
        other.stubFor(post(urlPathEqualTo(INFO_PATH)).willReturn(generating("task-d")));

        assertThat(submit("direct:componentAccount").getException()).isNull();
        assertThat(submit("direct:endpointAccount").getException()).isNull();
        assertThat(submit("direct:componentAccount").getException()).isNull();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> !other.findAll(postRequestedFor(urlPathEqualTo(INFO_PATH))).isEmpty());
        assertThat(other.findAll(anyRequestedFor(anyUrl()))).isNotEmpty()
                .allSatisfy(request -> assertThat(request.containsHeader("Cookie")).isFalse());
        assertThat(api.findAll(anyRequestedFor(anyUrl()))).hasSizeGreaterThan(1)
                .allSatisfy(request -> assertThat(request.containsHeader("Cookie")).isFalse());
    }

    private static String taskIdOf(LoggedRequest request) {
        return request.queryParameter("taskId").firstValue();
    }
}
