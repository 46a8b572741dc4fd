package io.github.gptimage.camel.task;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
 * the rest configuration names another) and answers each callback at once with the handler's verdict.
 */
final class CallbackReceiver extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackReceiver.class);
    static final String TOKEN = "token";

    private final CamelContext context;
    private final String path;
    private final int maxBodySize;
    private final CallbackHandler handler;
    private volatile Consumer httpConsumer;

    CallbackReceiver(CamelContext context, TaskServiceSettings.CallbackSettings settings, CallbackHandler handler) {
        this.context = context;
        this.path = settings.path();
        this.maxBodySize = settings.maxBodySize();
        this.handler = handler;
    }

    @Override
    protected void doStart() throws Exception {
        RestConfiguration rest = context.getRestConfiguration();
        RestConsumerFactory factory = restConsumerFactory(rest);
        httpConsumer = factory.createConsumer(context, this::receive, "POST", path, "{" + TOKEN + "}",
                null, null, rest, Map.of());
        ServiceHelper.startService(httpConsumer);
        LOG.info("Receiving GPT image callbacks on POST {}/{token}", path);
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(httpConsumer);
        httpConsumer = null;
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

    private RestConsumerFactory restConsumerFactory(RestConfiguration rest) {
        String name = rest != null && rest.getComponent() != null ? rest.getComponent() : "platform-http";
        if (context.getComponent(name, true) instanceof RestConsumerFactory factory) {
            return factory;
        }
        throw new IllegalStateException("Receiving GPT image callbacks needs an HTTP server component: add"
                                        + " camel-platform-http-vertx (or name a RestConsumerFactory component in the"
                                        + " rest configuration); '" + name + "' is not one");
    }
}
