package dev.forkline.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.BranchInfo;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * An HTTP proxy that speaks the OpenAI Chat Completions and Anthropic Messages APIs, so that an agent in any
 * language records into a Forkline store, replays without a model, and forks at a step, by changing its base URL.
 * It turns the traffic into the events the kernel's {@link dev.forkline.kernel.replay.Recorder} writes (a
 * {@code model.response} per answer, a {@code tool.result} per tool message of the next request, {@code user} and
 * {@code system} messages), finds sessions by message-prefix continuation or by name, and replays through the
 * kernel's replay. See {@code docs/proxy.md}.
 * <p>
 * Threading: {@link #start} and {@link #close} from one thread; requests are served on the proxy's own threads.
 */
public final class ForklineProxy implements AutoCloseable
{
    /** How long {@link #close} lets requests in flight finish; Jetty's graceful stop also waits on idle connections. */
    private static final long STOP_MILLIS = 500;

    private final ProxyContext context;
    private final Server server;
    private final ServerConnector connector;
    private volatile boolean closed;

    private ForklineProxy(final ProxyContext context, final Server server, final ServerConnector connector)
    {
        this.context = context;
        this.server = server;
        this.connector = connector;
    }

    /**
     * Starts a proxy; it serves until {@link #close}.
     *
     * @throws IllegalArgumentException when the configuration is incomplete or the store cannot serve it (no mode,
     *                                  a read-only store to record into, an unknown branch to replay or fork).
     * @throws IllegalStateException    when the address cannot be bound.
     */
    public static ForklineProxy start(final ProxyConfig config)
    {
        check(config);
        final Upstream upstream = config.upstream == null ? null : new Upstream(config.upstream, config.upstreamTimeout, config.maxResponseBytes);
        final ProxyContext context = new ProxyContext(config, upstream);
        final QueuedThreadPool threads = new QueuedThreadPool(Math.max(8, config.maxConcurrentRequests + 4), 4);
        threads.setName("forkline-proxy");
        threads.setDaemon(true);
        final Server server = new Server(threads);
        final HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        final ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(config.host);
        connector.setPort(config.port);
        connector.setIdleTimeout(config.upstreamTimeout.toMillis() + 30_000);
        server.addConnector(connector);
        server.setHandler(new ProxyHandler(context));
        server.setStopTimeout(STOP_MILLIS);
        try
        {
            server.start();
        }
        catch (final Exception ex)
        {
            if (upstream != null)
            {
                upstream.close();
            }
            stopQuietly(server);
            throw new IllegalStateException("cannot listen on " + config.host + ":" + config.port + ": " + ex.getMessage(), ex);
        }
        return new ForklineProxy(context, server, connector);
    }

    private static void check(final ProxyConfig config)
    {
        if (config.mode == null)
        {
            throw new IllegalArgumentException("the proxy needs a mode: record, replay or fork");
        }
        final boolean writes = config.mode != ProxyConfig.Mode.REPLAY || config.forkOnDivergence;
        if (writes && config.store.isReadOnly())
        {
            throw new IllegalArgumentException("the store is open read-only; recording and forking write it");
        }
        if (config.mode == ProxyConfig.Mode.REPLAY)
        {
            for (final String branch : config.replayBranches)
            {
                config.store.branch(branch);
            }
        }
        if (config.mode == ProxyConfig.Mode.FORK)
        {
            final BranchInfo info = config.store.branch(config.forkBranch);
            if (config.forkStep < 1 || config.forkStep > info.length())
            {
                throw new IllegalArgumentException("cannot fork " + config.forkBranch + "@" + config.forkStep +
                    ": the step must be from 1 to the branch's length, " + info.length());
            }
        }
    }

    /**
     * @return the address clients connect to, e.g. {@code http://127.0.0.1:8787}; an OpenAI client's base URL is
     * this with {@code /v1}, an Anthropic client's is this.
     */
    public URI address()
    {
        String host = connector.getHost();
        if (host == null || host.isEmpty() || "0.0.0.0".equals(host) || "::".equals(host))
        {
            host = "127.0.0.1";
        }
        if (host.indexOf(':') >= 0 && !host.startsWith("["))
        {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + connector.getLocalPort());
    }

    /**
     * @return true when the proxy listens on a loopback address only.
     */
    public boolean isLoopback()
    {
        try
        {
            final String host = connector.getHost();
            return host != null && !host.isEmpty() && InetAddress.getByName(host).isLoopbackAddress();
        }
        catch (final UnknownHostException ex)
        {
            return false;
        }
    }

    /**
     * @return the sessions open now.
     */
    public int openSessions()
    {
        return context.sessions.size();
    }

    /**
     * Stops taking requests (those in flight get half a second), ends every open session (a recorded one with
     * {@code session.end}), and releases the upstream client. The store stays open.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        stopQuietly(server);
        for (final ProxySession session : context.sessions.drain())
        {
            end(context, session, "proxy closed");
        }
        if (context.upstream != null)
        {
            context.upstream.close();
        }
        if (context.lanes != null)
        {
            context.lanes.close();
        }
    }

    /**
     * Ends a session evicted from the table, on its lane if it has one, without waiting for it.
     */
    static void endLater(final ProxyContext context, final ProxySession session)
    {
        if (session.lane != null)
        {
            session.lane.submit(() -> end(context, session, "evicted"));
        }
        else
        {
            end(context, session, "evicted");
        }
    }

    /**
     * Ends one session and logs it, with what the end check of a replay found.
     */
    static void end(final ProxyContext context, final ProxySession session, final String why)
    {
        if (session.recorder == null)
        {
            return;
        }
        final String branch = session.run(session::branch);
        final Divergence divergence = session.run(session::end);
        final ObjectNode entry = context.log.entry("session.end").put("branch", branch).put("reason", why);
        if (divergence != null)
        {
            entry.set("divergence", divergence.details());
        }
        context.log.write(entry);
    }

    private static void stopQuietly(final Server server)
    {
        try
        {
            server.stop();
        }
        catch (final Exception ignored)
        {
            // stopping: nothing more to serve
        }
    }
}
