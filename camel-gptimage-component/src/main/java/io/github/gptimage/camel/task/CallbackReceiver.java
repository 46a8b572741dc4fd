package io.github.gptimage.camel.task;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.StatefulService;
import org.apache.camel.spi.RestConfiguration;
import org.apache.camel.spi.RestConsumerFactory;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code POST {callbackPath}/{token}} through the runtime's {@link RestConsumerFactory} (platform-http unless
 * the rest configuration names another) and answers each callback at once with the handler's verdict. On
 * platform-http, a callback whose request, body included, has not arrived within the read timeout is answered 408
 * and its connection closed (a slow or stalled client holds no connection for longer), and on Vert.x a connection the
 * client aborts is logged at DEBUG (see {@link VertxCallbackRoutes}).
 */
final class CallbackReceiver extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackReceiver.class);
    static final String TOKEN = "token";

    private final CamelContext context;
    private final String path;
    private final int maxBodySize;
    private final Duration readTimeout;
    private final CallbackHandler handler;
    private volatile Consumer httpConsumer;
    private VertxCallbackRoutes vertxRoutes;

    CallbackReceiver(CamelContext context, TaskServiceSettings.CallbackSettings settings, CallbackHandler handler) {
        this.context = context;
        this.path = settings.path();
        this.maxBodySize = settings.maxBodySize();
        this.readTimeout = settings.readTimeout() != null ? settings.readTimeout()
                : TaskServiceSettings.CallbackSettings.DEFAULT_READ_TIMEOUT;
        this.handler = handler;
    }

    @Override
    protected void doStart() throws Exception {
        RestConfiguration rest = context.getRestConfiguration();
        String component = restComponent(rest);
        RestConsumerFactory factory = restConsumerFactory(component);
        boolean platformHttp = PLATFORM_HTTP.equals(component);
        Map<String, Object> options = new HashMap<>();
        if (platformHttp) {
            // platform-http's request timeout: the whole request, body included, must arrive within it
            options.put("requestTimeout", readTimeout.toMillis());
        }
        httpConsumer = factory.createConsumer(context, this::receive, "POST", path, "{" + TOKEN + "}",
                null, null, rest, options);
        if (platformHttp && VertxCallbackRoutes.available()) {
            vertxRoutes = VertxCallbackRoutes.install(context, path, readTimeout);
        }
        try {
            ServiceHelper.startService(httpConsumer);
        } catch (RuntimeException e) {
            if (platformHttp && String.valueOf(e.getMessage()).contains("No PlatformHttpEngine")) {
                throw new IllegalStateException(
                        "Receiving GPT image callbacks needs platform-http's Vert.x server started in this CamelContext"
                        + " before the gptimage routes start, on the port callbackBaseUrl reaches: register it with"
                        + " context.addService(new VertxPlatformHttpServer(configuration), true, true) (started at"
                        + " once; a plain addService(server) starts it only after the routes), with"
                        + " configuration.setBindPort(port), or with Camel Main's camel-platform-http-main"
                        + " (camel.server.enabled=true, camel.server.port). Until it runs, platform-http looks for a"
                        + " server on 8080: "
                        + e.getMessage(), e);
            }
            throw e;
        }
        LOG.info("Receiving GPT image callbacks on POST {}/{token}", path);
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(httpConsumer);
        httpConsumer = null;
        if (vertxRoutes != null) {
            vertxRoutes.remove();
            vertxRoutes = null;
        }
    }

    /** The path callbacks are received under. */
    String path() {
        return path;
    }

    /** True while the HTTP consumer of the callback route is started: callbacks can arrive. */
    boolean isServing() {
        Consumer consumer = httpConsumer;
        return consumer instanceof StatefulService stateful ? stateful.isStarted() : consumer != null;
    }

    /** The handler judging the callbacks, with the counts of its verdicts. */
    CallbackHandler handler() {
        return handler;
    }

    private void receive(Exchange exchange) {
        Message message = exchange.getMessage();
        byte[] payload;
        try {
            payload = readBody(message);
        } catch (IOException e) {
            respond(message, handler.counted(CallbackHandler.Verdict.UNREADABLE).status(), "unreadable body");
            return;
        }
        if (payload == null) {
            respond(message, handler.counted(CallbackHandler.Verdict.TOO_LARGE).status(),
                    "body larger than " + maxBodySize + " bytes");
            return;
        }
        CallbackHandler.Verdict verdict = handler.handle(message.getHeader(TOKEN, String.class), payload);
        respond(message, verdict.status(), verdict.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** The body, or null when it is larger than the limit. */
    private byte[] readBody(Message message) throws IOException {
        Object body = message.getBody();
        byte[] payload;
        if (body instanceof byte[] bytes) {
            payload = bytes;
        } else if (body instanceof InputStream stream) {
            try (InputStream in = stream) {
                payload = in.readNBytes(maxBodySize + 1);
            }
        } else {
            String text = message.getBody(String.class);
            payload = text != null ? text.getBytes(StandardCharsets.UTF_8) : new byte[0];
        }
        return payload.length > maxBodySize ? null : payload;
    }

    private static void respond(Message message, int status, String text) {
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "text/plain");
        message.setBody(text);
    }

    private static final String PLATFORM_HTTP = "platform-http";

    private static String restComponent(RestConfiguration rest) {
        return rest != null && rest.getComponent() != null ? rest.getComponent() : PLATFORM_HTTP;
    }

    private RestConsumerFactory restConsumerFactory(String name) {
        if (context.getComponent(name, true) instanceof RestConsumerFactory factory) {
            return factory;
        }
        throw new IllegalStateException("Receiving GPT image callbacks needs an HTTP server component: add"
                                        + " camel-platform-http-vertx (or name a RestConsumerFactory component in the"
                                        + " rest configuration); '" + name + "' is not one");
    }
}
