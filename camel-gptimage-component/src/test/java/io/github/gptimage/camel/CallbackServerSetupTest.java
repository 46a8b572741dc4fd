package io.github.gptimage.camel;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The HTTP server set-up the callback receiver needs, as the README describes it: platform-http's Vert.x server,
 * started before the gptimage routes start ({@code addService(server, true, true)}), on any port. A server added with
 * a plain {@code addService(server)} starts only after the routes, and then, as without one, platform-http looks for
 * a server on 8080 ("No PlatformHttpEngine ... platform-http-router-8080"): the start fails with a message that says
 * what to do.
 */
class CallbackServerSetupTest extends GptImageTestSupport {

    @Override
    public boolean isUseRouteBuilder() {
        return false;
    }

    @Test
    void theReceiverIsServedOnAnyPortOnceTheVertxServerIsRegistered() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        try (CamelContext app = new DefaultCamelContext()) {
            VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
            server.setBindPort(port);
            app.addService(new VertxPlatformHttpServer(server), true, true);
            GptImageComponent component = app.getComponent("gptimage", GptImageComponent.class);
            component.setCallbackBaseUrl("http://localhost:" + port);
            app.addRoutes(generateRoute());

            app.start();

            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/gptimage/callback/unknown-token"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"code\":200,\"data\":{\"taskId\":\"t\"}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("the receiver answers on port %s", port).isEqualTo(401);
        }
    }

    @Test
    void aServerThatStartsAfterTheRoutesFailsTheStartWithWhatToDo() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        try (CamelContext app = new DefaultCamelContext()) {
            VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
            server.setBindPort(port);
            app.addService(new VertxPlatformHttpServer(server));   // deferred: started once the routes have started
            app.getComponent("gptimage", GptImageComponent.class).setCallbackBaseUrl("http://localhost:" + port);
            app.addRoutes(generateRoute());

            assertThatThrownBy(app::start)
                    .hasStackTraceContaining("Receiving GPT image callbacks needs platform-http's Vert.x server")
                    .hasStackTraceContaining("addService(new VertxPlatformHttpServer(configuration), true, true)")
                    .hasStackTraceContaining("platform-http-router-8080");
        }
    }

    @Test
    void withoutTheVertxServerTheStartSaysWhatToAdd() throws Exception {
        try (CamelContext app = new DefaultCamelContext()) {
            app.getComponent("gptimage", GptImageComponent.class).setCallbackBaseUrl("https://images.example.com");
            app.addRoutes(generateRoute());

            assertThatThrownBy(app::start)
                    .hasStackTraceContaining("Receiving GPT image callbacks needs platform-http's Vert.x server")
                    .hasStackTraceContaining("camel.server.port")
                    .hasStackTraceContaining("new VertxPlatformHttpServer(configuration), true, true");
        }
        assertNoRequestSent();
    }

    private static RouteBuilder generateRoute() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:draw").to("gptimage:generate?apiKey=RAW(k)&baseUrl=" + api.baseUrl());
            }
        };
    }
}
