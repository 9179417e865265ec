package dev.forkline.proxy;

import dev.forkline.kernel.Store;
import dev.forkline.kernel.replay.StepOverride;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a {@link ForklineProxy} does: record through an upstream, replay recordings, or fork a recording at a step
 * and go live; where it listens; its limits; where its exchange log goes. Set one of {@link #record},
 * {@link #replay} and {@link #fork}.
 * <pre>{@code
 * ProxyConfig config = new ProxyConfig(store).record(URI.create("https://api.openai.com")).listen("127.0.0.1", 0);
 * try (ForklineProxy proxy = ForklineProxy.start(config)) {
 *     // point the client at proxy.address() + "/v1"
 * }
 * }</pre>
 */
public final class ProxyConfig
{
    /**
     * What the proxy does with a request.
     */
    public enum Mode
    {
        /** Forward to the upstream and record. */
        RECORD,
        /** Answer from the recording; no upstream is contacted (unless a divergence forks under the fork policy). */
        REPLAY,
        /** Answer from the recording up to a step, then fork there and go on live. */
        FORK
    }

    /** The default address: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The default port. */
    public static final int DEFAULT_PORT = 8787;

    final Store store;
    Mode mode;
    URI upstream;
    List<String> replayBranches = List.of();
    boolean forkOnDivergence;
    String forkBranch;
    long forkStep;
    StepOverride forkOverride;
    String host = DEFAULT_HOST;
    int port = DEFAULT_PORT;
    Consumer<String> log;
    boolean jsonLog;
    long maxRequestBytes = 32L * 1024 * 1024;
    long maxResponseBytes = 32L * 1024 * 1024;
    Duration upstreamTimeout = Duration.ofSeconds(300);
    int maxSessions = 1000;
    int maxConcurrentRequests = 256;

    /**
     * @param store the store recorded into or replayed from; open for writing to record or fork, read-only may do
     *              to replay. The proxy does not close it.
     */
    public ProxyConfig(final Store store)
    {
        if (store == null)
        {
            throw new IllegalArgumentException("store must not be null");
        }
        this.store = store;
    }

    /**
     * Records: every request is forwarded to {@code upstream} and recorded.
     *
     * @param upstream the base URL the client would otherwise use, e.g. {@code https://api.openai.com/v1}.
     */
    public ProxyConfig record(final URI upstream)
    {
        this.mode = Mode.RECORD;
        this.upstream = require(upstream, "upstream");
        return this;
    }

    /**
     * Replays: every request is answered from the recording it continues.
     *
     * @param branches the recorded branches a new run may replay (a session's name is its root branch); empty for
     *                 every session of the store.
     */
    public ProxyConfig replay(final List<String> branches)
    {
        this.mode = Mode.REPLAY;
        this.replayBranches = List.copyOf(require(branches, "branches"));
        return this;
    }

    /**
     * Under {@link Mode#REPLAY}: a request that diverges forks the replayed branch there and goes on live through
     * {@code upstream}, instead of an error.
     */
    public ProxyConfig forkOnDivergence(final URI upstream)
    {
        this.forkOnDivergence = true;
        this.upstream = require(upstream, "upstream");
        return this;
    }

    /**
     * Forks: each new run is served {@code branch} up to {@code step}, then forks there into a new branch and goes
     * on live through {@code upstream}.
     *
     * @param override the result at {@code step} ({@link StepOverride#toolResult} or {@link StepOverride#modelTurn}),
     *                 or null to call live there too. A tool result override is what the model sees, in that request
     *                 and every later one of the run.
     */
    public ProxyConfig fork(final String branch, final long step, final StepOverride override, final URI upstream)
    {
        this.mode = Mode.FORK;
        this.forkBranch = require(branch, "branch");
        this.forkStep = step;
        this.forkOverride = override;
        this.upstream = require(upstream, "upstream");
        return this;
    }

    /**
     * @param host the address to listen on ({@value #DEFAULT_HOST} by default).
     * @param port the port; 0 for any free one.
     */
    public ProxyConfig listen(final String host, final int port)
    {
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("port must be from 0 to 65535: " + port);
        }
        this.host = require(host, "host");
        this.port = port;
        return this;
    }

    /**
     * @param sink takes one line per exchange (and per session closed); null for none.
     * @param json true for a JSON object a line, false for a short text.
     */
    public ProxyConfig exchangeLog(final Consumer<String> sink, final boolean json)
    {
        this.log = sink;
        this.jsonLog = json;
        return this;
    }

    /**
     * @param requestBytes  the largest request body taken (413 beyond it).
     * @param responseBytes the largest upstream response read (502 beyond it).
     */
    public ProxyConfig maxBytes(final long requestBytes, final long responseBytes)
    {
        if (requestBytes < 1 || responseBytes < 1 || requestBytes > Integer.MAX_VALUE - 8)
        {
            throw new IllegalArgumentException("size limits must be positive (requests under 2 GiB): " + requestBytes + ", " + responseBytes);
        }
        this.maxRequestBytes = requestBytes;
        this.maxResponseBytes = responseBytes;
        return this;
    }

    /**
     * @param timeout how long the upstream may take to answer, and to send the next bytes of a response.
     */
    public ProxyConfig upstreamTimeout(final Duration timeout)
    {
        if (timeout == null || timeout.isNegative() || timeout.isZero())
        {
            throw new IllegalArgumentException("the upstream timeout must be positive: " + timeout);
        }
        this.upstreamTimeout = timeout;
        return this;
    }

    /**
     * @param sessions how many sessions are kept open at once; past it the least recently used idle one is ended.
     * @param requests how many requests are served at once.
     */
    public ProxyConfig capacity(final int sessions, final int requests)
    {
        if (sessions < 1 || requests < 1)
        {
            throw new IllegalArgumentException("capacities must be positive: " + sessions + ", " + requests);
        }
        this.maxSessions = sessions;
        this.maxConcurrentRequests = requests;
        return this;
    }

    /**
     * @return the mode set, or null.
     */
    public Mode mode()
    {
        return mode;
    }

    private static <T> T require(final T value, final String name)
    {
        if (value == null)
        {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }
}
