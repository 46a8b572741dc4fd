package io.github.gptimage.camel;

import org.apache.camel.CamelContext;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Endpoints that cannot work fail when they are created or started, with a message that says what to change: a
 * missing API key, an unknown operation, the tasks consumer used as a producer, a producer operation used in from(),
 * a store-wide setting contradicted by an endpoint, one account name used with two keys.
 */
class EndpointCreationTest extends GptImageTestSupport {

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    @Test
    void missingApiKeyFailsAtEndpointCreation() {
        assertThatThrownBy(() -> context.getEndpoint("gptimage:generate?size=3:2"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("The gptimage apiKey option is required")
                .hasMessageContaining("camel.component.gptimage.api-key");
    }

    @Test
    void blankApiKeyFailsAtEndpointCreation() {
        assertThatThrownBy(() -> context.getEndpoint("gptimage:info?apiKey=RAW( )"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("apiKey option is required");
    }

    @Test
    void componentApiKeyIsEnough() {
        context.getComponent("gptimage", GptImageComponent.class).getConfiguration().setApiKey("component-key");

        GptImageEndpoint endpoint = context.getEndpoint("gptimage:generate", GptImageEndpoint.class);

        assertThat(endpoint.getConfiguration().getApiKey()).isEqualTo("component-key");
        assertThat(endpoint.getOperation()).isEqualTo(GptImageOperation.generate);
    }

    @Test
    void endpointOptionsDoNotLeakIntoTheComponentOrOtherEndpoints() {
        GptImageComponent component = context.getComponent("gptimage", GptImageComponent.class);
        component.getConfiguration().setApiKey("component-key");

        GptImageEndpoint first = context.getEndpoint("gptimage:generate?size=3:2&apiKey=RAW(one)", GptImageEndpoint.class);
        GptImageEndpoint second = context.getEndpoint("gptimage:generate?nVariants=4", GptImageEndpoint.class);

        assertThat(first.getConfiguration().getSize()).isEqualTo("3:2");
        assertThat(second.getConfiguration().getSize()).isEqualTo("1:1");
        assertThat(second.getConfiguration().getApiKey()).isEqualTo("component-key");
        assertThat(component.getConfiguration().getSize()).isEqualTo("1:1");
        assertThat(component.getConfiguration().getNVariants()).isEqualTo(1);
    }

    @Test
    void endpointContradictingAStoreWideSettingFailsAtCreation() {
        context.getComponent("gptimage", GptImageComponent.class).getConfiguration().setMaxConcurrentPolls(20);

        assertThatThrownBy(() -> context.getEndpoint("gptimage:generate?apiKey=RAW(k)&maxConcurrentPolls=5"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("maxConcurrentPolls is a store-wide setting")
                .hasMessageContaining("maxConcurrentPolls=20")
                .hasMessageContaining("maxConcurrentPolls=5")
                .hasMessageContaining("camel.component.gptimage.max-concurrent-polls");
        assertThat(context.getEndpoint("gptimage:generate?apiKey=RAW(k)&maxConcurrentPolls=20")).isNotNull();
    }

    @Test
    void oneAccountNameWithTwoKeysFailsWhenTheSecondStarts() throws Exception {
        context.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("direct:first").to(uri("generate", "account=shared"));
            }
        });

        assertThatThrownBy(() -> context.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("direct:second").to("gptimage:generate?apiKey=RAW(another-key)&account=shared&baseUrl="
                                         + api.baseUrl());
            }
        })).hasStackTraceContaining("The gptimage account 'shared' is already used with another apiKey");
    }

    @Test
    void unknownOptionFailsAtEndpointCreation() {
        assertThatThrownBy(() -> context.getEndpoint("gptimage:generate?apiKey=RAW(k)&colour=red"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("colour");
    }

    @Test
    void unknownOperationFailsAtEndpointCreation() {
        assertThatThrownBy(() -> context.getEndpoint("gptimage:edit?apiKey=RAW(k)"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("Unknown gptimage operation 'edit'")
                .hasMessageContaining("gptimage:generate, gptimage:info or gptimage:tasks");
    }

    @Test
    void tasksAsProducerFailsClearly() {
        Throwable error = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> template.sendBody("gptimage:tasks?apiKey=RAW(k)", "x"));

        assertThat(rootMessage(error))
                .isEqualTo("gptimage:tasks is a consumer: use it in from(), and gptimage:generate or gptimage:info in to()");
        assertNoRequestSent();
    }

    @Test
    void generateAsConsumerFailsClearlyAtStartup() throws Exception {
        try (CamelContext plain = new DefaultCamelContext()) {
            plain.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("gptimage:generate?apiKey=RAW(k)").to("log:never");
                }
            });

            Throwable error = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, plain::start);

            assertThat(rootMessage(error)).startsWith("gptimage:generate is a producer");
        }
    }
}
