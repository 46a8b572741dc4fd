package io.github.gptimage.camel;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.apache.camel.ResolveEndpointFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Options that Camel accepts and the component would then misuse are refused when the endpoint is created, as a
 * ResolveEndpointFailedException whose message names the option and the value as written, and nothing is sent: a
 * value that does not convert exactly (Camel reads timeout=abc and nVariants=two as 0), and a value out of range.
 */
class EndpointOptionValidationTest extends GptImageTestSupport {

    static Stream<Arguments> invalidOptions() {
        return Stream.of(
                row("baseUrl=", "baseUrl=", "empty"),
                row("baseUrl=ftp://api.example.com", "baseUrl=ftp://api.example.com", "not an absolute http(s) URL"),
                row("baseUrl=RAW(javascript:alert(1))", "baseUrl=javascript:alert(1)", "not an absolute http(s) URL"),
                row("baseUrl=RAW(not a url)", "baseUrl='not a url'", "not an absolute http(s) URL"),
                row("baseUrl=/paid", "baseUrl=/paid", "not an absolute http(s) URL"),
                row("maxConcurrentPolls=0", "maxConcurrentPolls=0", "must be at least 1"),
                row("maxConcurrentPolls=-3", "maxConcurrentPolls=-3", "must be at least 1"),
                row("maxConcurrentPolls=many", "maxConcurrentPolls=many", "not a whole number"),
                row("timeout=abc", "timeout=abc", "not a duration"),
                row("connectTimeout=xyz", "connectTimeout=xyz", "not a duration"),
                row("requestTimeout=10x", "requestTimeout=10x", "not a duration"),
                row("submitTimeout=1h30", "submitTimeout=1h30", "not a duration"),
                row("pollInitialDelay=soon", "pollInitialDelay=soon", "not a duration"),
                row("pollMaxInterval=PT", "pollMaxInterval=PT", "not a duration"),
                row("timeout=0", "timeout=0", "must be positive"),
                row("connectTimeout=0", "connectTimeout=0", "must be positive"),
                row("requestTimeout=0", "requestTimeout=0", "must be positive"),
                row("submitTimeout=-1", "submitTimeout=-1", "must be positive"),
                row("pollInitialDelay=-1", "pollInitialDelay=-1", "must not be negative"),
                row("pollMaxInterval=-5s", "pollMaxInterval=-5s", "not a duration"),
                row("pollMaxInterval=-5000", "pollMaxInterval=-5000", "must not be negative"),
                row("downloadMaxSize=-1", "downloadMaxSize=-1", "must be at least 1 byte"),
                row("downloadMaxSize=0", "downloadMaxSize=0", "must be at least 1 byte"),
                row("downloadMaxSize=1.5", "downloadMaxSize=1.5", "not a whole number"),
                row("nVariants=two", "nVariants=two", "not a whole number"),
                row("nVariants=2.5", "nVariants=2.5", "not a whole number"),
                row("nVariants=3", "nVariants 3", "is not 1, 2 or 4"),
                row("enhance=yes", "enhance=yes", "not true or false"),
                row("download=1", "download=1", "not true or false"),
                row("size=4:3", "size '4:3'", "is not one of 1:1, 3:2, 2:3"),
                row("fallbackModel=DALL_E_3", "fallbackModel 'DALL_E_3'", "is not GPT_IMAGE_1 or FLUX_MAX"),
                row("filesUrl=ftp://x.example.com/a.png", "filesUrl 'ftp://x.example.com/a.png'", "not an absolute http(s) URL"),
                row("maskUrl=https://x.example.com/m.gif", "maskUrl https://x.example.com/m.gif", "is a .gif file"),
                row("callbackUrl=ftp://hooks.example.com/cb", "callBackUrl 'ftp://hooks.example.com/cb'",
                        "not an absolute http(s) URL"),
                row("prompt=RAW(" + "a".repeat(32_001) + ")", "the prompt has 32001 characters",
                        "gpt-image-1 accepts at most 32000"));
    }

    private static Arguments row(String options, String optionAndValue, String problem) {
        return Arguments.of(options, List.of(optionAndValue, problem));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidOptions")
    void invalidOptionIsRefusedAtEndpointCreation(String options, List<String> messageParts) {
        String uri = options.startsWith("baseUrl=") ? "gptimage:generate?apiKey=RAW(" + API_KEY + ")&" + options
                : generateUri(options);

        assertThatThrownBy(() -> context.getEndpoint(uri))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("Invalid gptimage option")
                .hasMessageContainingAll(messageParts.toArray(String[]::new))
                .hasMessageNotContaining(API_KEY);
        assertNoRequestSent();
    }

    @Test
    void anInvalidOptionFailsTheRouteAtStartupWithoutAnyCall() {
        assertThatThrownBy(() -> context.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("direct:draw").to(generateUri("timeout=abc"));
            }
        })).hasStackTraceContaining("Invalid gptimage option timeout=abc: not a duration");
        assertNoRequestSent();
    }

    @ParameterizedTest
    @CsvSource({ "500, 500", "10s, 10000", "5m, 300000", "1h30m, 5400000", "250ms, 250", "1m30s, 90000",
            "PT10S, 10000", "pt2m, 120000", "2d, 172800000" })
    void durationsAreReadInEveryFormCamelDocuments(String written, long millis) {
        GptImageEndpoint endpoint = context.getEndpoint(generateUri("timeout=" + written), GptImageEndpoint.class);

        assertThat(endpoint.getConfiguration().getTimeout()).isEqualTo(millis);
    }

    @Test
    void exactValuesAreAccepted() {
        GptImageEndpoint endpoint = context.getEndpoint(generateUri(
                "nVariants=4&enhance=TRUE&download=false&downloadMaxSize=1024&maxConcurrentPolls=10&pollInitialDelay=0"
                + "&prompt=RAW(" + "a".repeat(32_000) + ")"), GptImageEndpoint.class);

        assertThat(endpoint.getConfiguration().getNVariants()).isEqualTo(4);
        assertThat(endpoint.getConfiguration().isEnhance()).isTrue();
        assertThat(endpoint.getConfiguration().getDownloadMaxSize()).isEqualTo(1024);
    }

    /** camel.component.gptimage.timeout=abc: Camel binds it as 0 before the component sees it; refused as such. */
    @Test
    void componentDurationCamelCannotReadIsRefusedAtEndpointCreation() {
        GptImageComponent component = context.getComponent("gptimage", GptImageComponent.class);
        ComponentOptionValidationTest.bindAsCamelMainDoes(context, component, "timeout", "abc");

        assertThatThrownBy(() -> context.getEndpoint(generateUri()))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("Invalid gptimage option timeout=0: must be positive")
                .hasMessageContaining("such as 'abc' set on the component");
        assertNoRequestSent();
    }

    @Test
    void componentMaxConcurrentPollsZeroIsRefused() {
        GptImageComponent component = context.getComponent("gptimage", GptImageComponent.class);
        component.getConfiguration().setMaxConcurrentPolls(0);

        assertThatThrownBy(() -> context.getEndpoint(generateUri()))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("maxConcurrentPolls=0: must be at least 1");
        assertNoRequestSent();
    }

    @Test
    void timeoutsOfARealEndpointAreTheDocumentedDefaults() {
        GptImageEndpoint endpoint = context.getEndpoint(generateUri(), GptImageEndpoint.class);

        assertThat(Duration.ofMillis(endpoint.getConfiguration().getTimeout())).hasMinutes(10);
        assertThat(Duration.ofMillis(endpoint.getConfiguration().getConnectTimeout())).hasSeconds(10);
    }
}
