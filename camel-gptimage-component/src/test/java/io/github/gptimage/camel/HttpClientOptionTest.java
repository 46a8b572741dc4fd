package io.github.gptimage.camel;

import org.apache.camel.Exchange;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorStatus;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.github.gptimage.camel.ApiStubs.GENERATE_PATH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A route may bring its own HttpClient 5 async client ({@code httpClient=#bean}): the component starts it, calls the
 * API through it and leaves it running when the context stops. A base URL with a trailing slash still yields the
 * documented paths.
 */
class HttpClientOptionTest extends GptImageTestSupport {

    @Test
    void givenClientIsStartedUsedAndNotClosed() throws Exception {
        CloseableHttpAsyncClient client = HttpAsyncClients.createDefault();
        try {
            context.getRegistry().bind("myHttpClient", client);
            stubGenerate("task-own-client");

            Exchange exchange = send(generateUri("httpClient=#myHttpClient"), "A cat");

            assertThat(exchange.getException()).isNull();
            assertThat(exchange.getMessage().getBody()).isEqualTo("task-own-client");
            assertThat(context.getEndpoint(generateUri("httpClient=#myHttpClient"), GptImageEndpoint.class)
                    .getConfiguration().getHttpClient()).isSameAs(client);
            context.stop();
            assertThat(client.getStatus()).isEqualTo(IOReactorStatus.ACTIVE);
        } finally {
            client.close(CloseMode.IMMEDIATE);
        }
    }

    @Test
    void trailingSlashOfTheBaseUrlIsIgnored() {
        stubGenerate("task-slash");

        Exchange exchange = send("gptimage:generate?apiKey=RAW(k)&baseUrl=" + api.baseUrl() + "/", "A cat");

        assertThat(exchange.getException()).isNull();
        api.verify(1, postRequestedFor(urlEqualTo(GENERATE_PATH)));
    }
}
