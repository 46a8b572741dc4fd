package io.github.gptimage.camel.task;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callback receiver's failure handling on platform-http's Vert.x routers (used only when camel-platform-http-vertx
 * is on the classpath, an optional dependency). Vert.x Web logs every failure no handler takes as an ERROR with a
 * stack trace ("Unhandled exception in router"), also a client that closed its connection before its request was
 * read; and platform-http's request timeout answers 503. For the callback path this handler instead logs an aborted
 * connection at DEBUG and answers a callback that did not arrive in time with 408, closing the connection; any other
 * failure goes on to Vert.x's default handling.
 */
final class VertxCallbackRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackReceiver.class);
    private static final String ROUTER_CLASS = "org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter";

    private final List<Route> routes = new ArrayList<>();

    private VertxCallbackRoutes() {
    }

    /** True when platform-http on Vert.x is on the classpath. */
    static boolean available() {
        try {
            Class.forName(ROUTER_CLASS, false, VertxCallbackRoutes.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Adds the failure handler for {@code path}/* to every platform-http router of the context but the management
     * server's (whose server type is often unset, so not "main" either); {@link #remove()}
     * takes it away again.
     */
    static VertxCallbackRoutes install(CamelContext context, String path, Duration readTimeout) {
        VertxCallbackRoutes installed = new VertxCallbackRoutes();
        String pattern = (path.startsWith("/") ? path : "/" + path).replaceAll("/+$", "") + "/*";
        for (VertxPlatformHttpRouter router : context.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
            if (!router.isManagementServer()) {
                installed.routes.add(router.route(pattern).failureHandler(ctx -> handle(ctx, readTimeout)));
            }
        }
        if (installed.routes.isEmpty()) {
            LOG.debug("No platform-http Vert.x router found: GPT image callback failures keep Vert.x's own handling");
        }
        return installed;
    }

    void remove() {
        routes.forEach(Route::remove);
        routes.clear();
    }

    private static void handle(RoutingContext ctx, Duration readTimeout) {
        HttpServerResponse response = ctx.response();
        Throwable failure = ctx.failure();
        if (failure == null && ctx.statusCode() == 503 && !response.ended() && !response.closed()) {
            // platform-http's request timeout (Vert.x Web's TimeoutHandler) fired before the callback was read
            LOG.debug("A GPT image callback from {} did not arrive within {}: answered 408 and closed",
                    ctx.request().remoteAddress(), readTimeout);
            response.setStatusCode(408).putHeader("Connection", "close").putHeader("Content-Type", "text/plain")
                    .end("callback not received within " + readTimeout)
                    .onComplete(done -> ctx.request().connection().close());
            return;
        }
        if (failure != null && (response.closed() || isConnectionClosed(failure))) {
            LOG.debug("A GPT image callback connection from {} closed before its request was read: {}",
                    ctx.request().remoteAddress(), failure.toString());
            return;
        }
        ctx.next();
    }

    private static boolean isConnectionClosed(Throwable failure) {
        if (failure instanceof HttpClosedException || failure instanceof ClosedChannelException) {
            return true;
        }
        String message = failure.getMessage() != null ? failure.getMessage().toLowerCase(Locale.ROOT) : "";
        return failure instanceof IOException && (message.contains("reset") || message.contains("closed"));
    }
}
