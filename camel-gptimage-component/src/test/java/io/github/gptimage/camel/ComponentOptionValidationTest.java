package io.github.gptimage.camel;

import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PropertyBindingSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Store-wide component options that would be accepted and then misbehave fail the start of the CamelContext, with a
 * message that names the option, its value and its property; no call is made.
 */
class ComponentOptionValidationTest extends GptImageTestSupport {

    static Stream<Arguments> invalidComponentOptions() {
        return Stream.of(
                Arguments.of("finalRetention", "0", "finalRetention=0: must be positive"),
                Arguments.of("finalRetention", "abc", "such as 'abc' set on the component"),
                Arguments.of("leaseDuration", "-1", "leaseDuration=-1: must be positive"),
                Arguments.of("leaseDuration", "0", "(camel.component.gptimage.lease-duration)"),
                Arguments.of("authRecheckInterval", "0", "authRecheckInterval=0: must be positive"),
                Arguments.of("callbackReadTimeout", "xyz", "callbackReadTimeout=0: must be positive"),
                Arguments.of("maxPendingTasks", "0", "maxPendingTasks=0: must be positive"),
                Arguments.of("maxConnections", "-2", "maxConnections=-2: must be positive"),
                Arguments.of("callbackMaxBodySize", "0", "callbackMaxBodySize=0: must be positive"),
                Arguments.of("callbackBaseUrl", "images.example.com", "callbackBaseUrl='images.example.com': is not an"
                                                                      + " absolute http(s) URL"),
                Arguments.of("callbackBaseUrl", "ftp://images.example.com", "is not an absolute http(s) URL"),
                Arguments.of("maxConcurrentPolls", "0", "maxConcurrentPolls=0: must be at least 1"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("invalidComponentOptions")
    void invalidComponentOptionFailsTheStart(String option, String value, String message) throws Exception {
        try (CamelContext plain = new DefaultCamelContext()) {
            GptImageComponent component = plain.getComponent("gptimage", GptImageComponent.class);
            bindAsCamelMainDoes(plain, component, option, value);
            plain.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:draw").to("gptimage:generate?apiKey=RAW(k)&baseUrl=" + api.baseUrl());
                }
            });

            assertThatThrownBy(plain::start)
                    .hasStackTraceContaining("Invalid gptimage")
                    .hasStackTraceContaining(message);
        }
        assertNoRequestSent();
    }

    /**
     * Binds {@code camel.component.gptimage.<option>=<value>} as Camel Main does: through the component's generated
     * configurer, which converts a duration with Camel's type converter (a text it cannot read becomes 0).
     */
    static void bindAsCamelMainDoes(CamelContext context, GptImageComponent component, String option, String value) {
        boolean bound = PropertyBindingSupport.build().withConfigurer(new GptImageComponentConfigurer())
                .withMandatory(true).bind(context, component, option, value);
        assertThat(bound).as("bound %s", option).isTrue();
    }
}
