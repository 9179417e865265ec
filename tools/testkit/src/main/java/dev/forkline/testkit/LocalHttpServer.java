package dev.forkline.testkit;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP server on 127.0.0.1 and a port the system picks, serving a fixed table of routes (method and path)
 * with Jetty 12's core API. It counts every request it gets, routed or not, so that a test can prove that a
 * replay made none. Unknown paths get 404, known paths with another method 405, both with a JSON error body.
 * <pre>{@code
 * try (LocalHttpServer server = LocalHttpServer.builder()
 *     .route("GET", "/health", exchange -> exchange.respond(200, "text/plain", "ok"))
 *     .start()) {
 *     URI uri = URI.create(server.url("/health"));
 * }
 * }</pre>
 * Threading: routes run on Jetty's threads, several at once; a route must be safe for that.
 */
public final class LocalHttpServer implements AutoCloseable
{
    private final Server server;
    private final ServerConnector connector;
    private final Map<String, HttpRoute> routes;
    private final AtomicLong requests = new AtomicLong();

    private LocalHttpServer(final Map<String, HttpRoute> routes)
    {
        this.routes = Map.copyOf(routes);
        final QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("forkline-testkit");
        threads.setDaemon(true);
        server = new Server(threads);
        connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Router());
    }

    /**
     * @return a builder of a server's route table.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * @return the port the server listens on.
     */
    public int port()
    {
        return connector.getLocalPort();
    }

    /**
     * @param path a path starting with {@code /}.
     * @return {@code http://127.0.0.1:<port><path>}.
     */
    public String url(final String path)
    {
        return "http://127.0.0.1:" + port() + path;
    }

    /**
     * @return how many HTTP requests the server got since it started, whatever their path.
     */
    public long requestCount()
    {
        return requests.get();
    }

    /**
     * @return true while the server accepts connections.
     */
    public boolean isRunning()
    {
        return server.isRunning();
    }

    /**
     * Stops the server and closes its port; a stopped server refuses connections.
     */
    @Override
    public void close()
    {
        try
        {
            server.stop();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("cannot stop the test server on port " + port(), ex);
        }
    }

    /**
     * The routes of a server to start.
     */
    public static final class Builder
    {
        private final Map<String, HttpRoute> routes = new LinkedHashMap<>();

        private Builder()
        {
        }

        /**
         * @param method an HTTP method, for example {@code POST}.
         * @param path   the exact path, for example {@code /v1/chat/completions}.
         * @throws IllegalArgumentException when the route is there already.
         */
        public Builder route(final String method, final String path, final HttpRoute route)
        {
            if (routes.putIfAbsent(method + " " + path, route) != null)
            {
                throw new IllegalArgumentException("route " + method + " " + path + " is defined twice");
            }
            return this;
        }

        /**
         * @return the started server.
         * @throws IllegalStateException when it cannot bind.
         */
        public LocalHttpServer start()
        {
            final LocalHttpServer server = new LocalHttpServer(routes);
            try
            {
                server.server.start();
            }
            catch (final Exception ex)
            {
                server.close();
                throw new IllegalStateException("cannot start the test server on 127.0.0.1: " + ex.getMessage(), ex);
            }
            return server;
        }
    }

    private final class Router extends Handler.Abstract
    {
        @Override
        public boolean handle(final Request request, final Response response, final Callback callback)
        {
            requests.incrementAndGet();
            final String path = Request.getPathInContext(request);
            final HttpRoute route = routes.get(request.getMethod() + " " + path);
            final HttpExchange exchange = new HttpExchange(request, response);
            try
            {
                if (route != null)
                {
                    route.handle(exchange);
                }
                else
                {
                    final boolean pathKnown = routes.keySet().stream().anyMatch(key -> key.endsWith(" " + path));
                    exchange.respondError(pathKnown ? 405 : 404,
                        (pathKnown ? "method not allowed: " : "no route: ") + request.getMethod() + " " + path);
                }
                exchange.finish();
                callback.succeeded();
            }
            catch (final Throwable ex)
            {
                if (!response.isCommitted())
                {
                    try
                    {
                        exchange.respondError(500, String.valueOf(ex.getMessage()));
                        exchange.finish();
                        callback.succeeded();
                        return true;
                    }
                    catch (final Throwable ignored)
                    {
                        // fall through: the connection is failed below
                    }
                }
                callback.failed(ex);
            }
            return true;
        }
    }
}
