package dev.forkline.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.ForklineException;
import dev.forkline.kernel.replay.DivergencePolicy;
import dev.forkline.kernel.replay.ModelTurn;
import dev.forkline.kernel.replay.Recorder;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One model request from a client: finds its session, feeds the session's recorder what is new in the request,
 * makes the model call (live through the upstream, or served from the recording) and answers the client.
 * <p>
 * The session learns what the client will send next (its known conversation: this request and the turn
 * answered) before the answer's last bytes go out, so a client that sends its next request at once finds it.
 */
final class ModelExchange
{
    private static final String SESSION_BUSY = "forkline_session_busy";
    private static final String BAD_REQUEST = "invalid_request_error";

    private final ProxyContext proxy;
    private final ModelRequest request;
    private final byte[] rawBody;
    private final String path;
    private final Map<String, List<String>> headers;
    private final String name;
    private final ClientResponse out;
    private final ObjectNode entry;
    private final long startNanos = System.nanoTime();

    private ObjectNode upstreamBody;
    private ModelTurn clientTurn;
    private byte[] passBody;
    private int passStatus;
    private String passType;
    private Map<String, List<String>> passHeaders;
    private byte[] streamTail;

    ModelExchange(
        final ProxyContext proxy,
        final ModelRequest request,
        final byte[] rawBody,
        final String path,
        final Map<String, List<String>> headers,
        final String name,
        final ClientResponse out)
    {
        this.proxy = proxy;
        this.request = request;
        this.rawBody = rawBody;
        this.path = path;
        this.headers = headers;
        this.name = name;
        this.out = out;
        this.entry = proxy.log.entry("exchange").put("protocol", request.protocol.name()).put("stream", request.stream);
        if (name != null)
        {
            entry.put("session", name);
        }
    }

    void run()
    {
        final List<Prefix> chain = Prefix.chain(request.messages);
        final SessionTable.Claim claim = proxy.sessions.claim(chain, name, () -> proxy.newSession(name));
        if (claim == null)
        {
            error(429, SESSION_BUSY, "session " + name + " is busy with another request", null);
            return;
        }
        final ProxySession session = claim.session();
        session.run(() ->
        {
            serve(claim, chain);
            return null;
        });
    }

    private void serve(final SessionTable.Claim claim, final List<Prefix> chain)
    {
        final ProxySession session = claim.session();
        if (session.failed != null)
        {
            release(session, session.known);
            diverged(session.failed);
            return;
        }
        try
        {
            final ModelTurn turn = claim.isNew() ? open(session) : exchange(session, claim.from());
            answer(session, turn, chain);
        }
        catch (final Divergence divergence)
        {
            if (session.recorder == null)
            {
                proxy.sessions.remove(session);
            }
            else
            {
                session.failed = divergence;
                release(session, chain);
            }
            diverged(divergence);
        }
        catch (final UpstreamFailure failure)
        {
            release(session, chain);
            log(session, failure.status, null);
            if (failure.started)
            {
                out.finish();
            }
            else
            {
                out.send(failure.status, failure.contentType, failure.headers, failure.body);
            }
        }
        catch (final ClientResponse.ClientGone gone)
        {
            release(session, chain);
            entry.put("error", gone.getMessage());
            log(session, 499, null);
            throw gone;
        }
        catch (final IllegalArgumentException | ForklineException ex)
        {
            if (claim.isNew())
            {
                proxy.sessions.remove(session);
            }
            else
            {
                release(session, session.known);
            }
            error(400, BAD_REQUEST, ex.getMessage(), null);
        }
    }

    /**
     * Opens a new session's recorder and runs its first exchange.
     */
    private ModelTurn open(final ProxySession session)
    {
        final ProxyConfig config = proxy.config;
        switch (config.mode)
        {
            case RECORD ->
            {
                session.recorder = Recorder.live(proxy.store.startSession(name, proxy.sessionStart(request)));
                return exchange(session, 0);
            }
            case FORK ->
            {
                session.recorder = Recorder.replayThenLive(proxy.store, config.forkBranch, config.forkStep, config.forkOverride);
                return exchange(session, 0);
            }
            default ->
            {
                return openReplay(session);
            }
        }
    }

    /**
     * A new replay run: the first recorded branch whose beginning this request matches. None matching is the
     * divergence of the one that matched furthest; under the fork policy, that one forks there.
     */
    private ModelTurn openReplay(final ProxySession session)
    {
        final List<String> candidates = name != null ? List.of(name) : proxy.replayCandidates();
        if (candidates.isEmpty())
        {
            throw new IllegalArgumentException("the store has no recorded session to replay");
        }
        final boolean forkOnDivergence = proxy.config.forkOnDivergence;
        session.forkOnDivergence = false;
        Divergence nearest = null;
        String nearestBranch = null;
        for (final String branch : candidates)
        {
            session.recorder = Recorder.replay(proxy.store, branch, DivergencePolicy.FAIL);
            try
            {
                final ModelTurn turn = exchange(session, 0);
                session.forkOnDivergence = forkOnDivergence;
                return turn;
            }
            catch (final Divergence divergence)
            {
                session.closeQuietly();
                if (nearest == null || divergence.step > nearest.step)
                {
                    nearest = divergence;
                    nearestBranch = branch;
                }
            }
        }
        session.recorder = null;
        if (!forkOnDivergence)
        {
            throw nearest;
        }
        session.forkOnDivergence = true;
        session.recorder = Recorder.replay(proxy.store, nearestBranch, DivergencePolicy.FAIL);
        return exchange(session, 0);
    }

    /**
     * Feeds the new messages and makes the model call.
     *
     * @return the turn, or null when a recorded upstream error was served instead.
     */
    private ModelTurn exchange(final ProxySession session, final int from)
    {
        session.feed(request, from);
        upstreamBody = request.upstreamBody(session.substitutions);
        final String hashText = request.hashText(upstreamBody);
        try
        {
            final ModelTurn turn = session.model(hashText, request.tools, ignored -> live(session));
            if (turn != null && clientTurn == null)
            {
                clientTurn = turn;
            }
            return turn;
        }
        catch (final UpstreamFailure failure)
        {
            session.recordError(hashText, failure.status, failure.recordedBody());
            throw failure;
        }
    }

    /**
     * The live model call: forwards the request and passes the answer on, a stream chunk for chunk.
     *
     * @return the turn to record.
     */
    private ModelTurn live(final ProxySession session)
    {
        if (proxy.upstream == null)
        {
            throw new IllegalStateException("a live call without an upstream");
        }
        forklineHeaders(session.branch(), session.recorder.nextStep());
        final byte[] body = session.substitutions.isEmpty() ? rawBody : ProxyJson.bytes(upstreamBody);
        final Upstream.Call call;
        try
        {
            call = proxy.upstream.open("POST", path, headers, body);
        }
        catch (final UpstreamException ex)
        {
            throw failure(ex, false);
        }
        try (call)
        {
            if (call.status() >= 300)
            {
                throw new UpstreamFailure(call.status(), call.contentType(), call.readAll(), call.returnedHeaders(), false);
            }
            if (call.isEventStream())
            {
                return stream(call);
            }
            final byte[] bytes = call.readAll();
            try
            {
                clientTurn = request.protocol.turn(ProxyJson.parse(bytes));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new UpstreamFailure(call.status(), call.contentType(), bytes, call.returnedHeaders(), false);
            }
            passStatus = call.status();
            passType = call.contentType();
            passHeaders = call.returnedHeaders();
            passBody = bytes;
            return ProxySession.stored(clientTurn);
        }
        catch (final UpstreamException ex)
        {
            throw failure(ex, out.started());
        }
    }

    /**
     * Passes a stream on as it arrives, and keeps back the chunk with its last event until the turn is recorded.
     */
    private ModelTurn stream(final Upstream.Call call)
    {
        out.start(call.status(), call.contentType(), call.returnedHeaders());
        final Protocol.StreamTurn turn = request.protocol.streamTurn();
        final SseParser parser = new SseParser(turn);
        final byte[] buffer = new byte[8192];
        final ByteArrayOutputStream tail = new ByteArrayOutputStream();
        int n;
        while ((n = call.read(buffer)) >= 0)
        {
            parser.accept(buffer, 0, n);
            if (turn.complete())
            {
                tail.write(buffer, 0, n);
                break;
            }
            out.write(buffer, 0, n);
        }
        parser.finish();
        clientTurn = turn.turn();
        if (clientTurn == null)
        {
            out.write(tail.toByteArray(), 0, tail.size());
            final String why = turn.error() != null ? turn.error() : "the upstream stream ended before its last event";
            throw new UpstreamFailure(502, ClientResponse.JSON, request.protocol.error("upstream_error", why, null), null, true);
        }
        streamTail = tail.toByteArray();
        return ProxySession.stored(clientTurn);
    }

    private UpstreamFailure failure(final UpstreamException ex, final boolean started)
    {
        entry.put("error", ex.getMessage());
        return new UpstreamFailure(ex.status, ClientResponse.JSON, request.protocol.error("upstream_error", ex.getMessage(), null),
            null, started);
    }

    /**
     * Answers the client: the turn (passed through when live, served when replayed) or the recorded error.
     */
    private void answer(final ProxySession session, final ModelTurn turn, final List<Prefix> chain)
    {
        final String branch = session.branch();
        final long step = session.recorder.nextStep() - 1;
        if (turn == null)
        {
            release(session, chain);
            final JsonNode recorded = ProxyJson.parse(session.servedError);
            final int status = recorded.path("status").asInt(502);
            final JsonNode body = recorded.path("body");
            forklineHeaders(branch, step);
            log(session, status, null);
            out.send(status, ClientResponse.JSON, null,
                body.isTextual() ? body.asText().getBytes(StandardCharsets.UTF_8) : ProxyJson.bytes(body));
            return;
        }
        final List<Prefix> known = new ArrayList<>(chain.size() + 1);
        known.addAll(chain);
        known.add((chain.isEmpty() ? Prefix.EMPTY : chain.get(chain.size() - 1))
            .then(Message.assistant(clientTurn.content(), clientTurn.toolCalls())));
        release(session, known);
        entry.put("step", step);
        log(session, passBody != null ? passStatus : 200, clientTurn);
        if (streamTail != null)
        {
            out.write(streamTail, 0, streamTail.length);
            out.finish();
        }
        else if (passBody != null)
        {
            out.send(passStatus, passType, passHeaders, passBody);
        }
        else
        {
            forklineHeaders(branch, step);
            final Protocol.Served served = new Protocol.Served(responseId(branch, step), System.currentTimeMillis() / 1000,
                request.includeUsage);
            if (request.stream)
            {
                out.start(200, ClientResponse.EVENT_STREAM, null);
                try
                {
                    request.protocol.stream(turn, served, out);
                }
                catch (final java.io.IOException ex)
                {
                    throw new ClientResponse.ClientGone(ex);
                }
                out.finish();
            }
            else
            {
                out.send(200, ClientResponse.JSON, null, request.protocol.response(turn, served));
            }
        }
    }

    private void release(final ProxySession session, final List<Prefix> known)
    {
        for (final ProxySession evicted : proxy.sessions.release(session, known))
        {
            ForklineProxy.endLater(proxy, evicted);
        }
    }

    private void forklineHeaders(final String branch, final long step)
    {
        out.header("X-Forkline-Branch", branch);
        out.header("X-Forkline-Step", Long.toString(step));
    }

    private void diverged(final Divergence divergence)
    {
        entry.set("divergence", divergence.details());
        error(Divergence.STATUS, Divergence.TYPE, divergence.getMessage(), divergence.details());
    }

    private void error(final int status, final String type, final String message, final ObjectNode details)
    {
        entry.put("status", status);
        if (details == null)
        {
            entry.put("error", message);
        }
        entry.put("millis", (System.nanoTime() - startNanos) / 1_000_000);
        proxy.log.write(entry);
        out.send(status, ClientResponse.JSON, null, request.protocol.error(type, message, details));
    }

    private void log(final ProxySession session, final int status, final ModelTurn turn)
    {
        entry.put("mode", session.recorder == null ? proxy.config.mode.name().toLowerCase(java.util.Locale.ROOT) :
            session.recorder.isLive() ? (proxy.config.mode == ProxyConfig.Mode.RECORD ? "record" : "live") : "replay");
        if (session.recorder != null)
        {
            entry.put("branch", session.branch());
        }
        if (session.forkedAt != null)
        {
            entry.put("forked", session.branch());
            entry.set("divergence", session.forkedAt.details());
            session.forkedAt = null;
        }
        entry.put("status", status);
        entry.put("millis", (System.nanoTime() - startNanos) / 1_000_000);
        if (turn != null)
        {
            entry.put("model", turn.model());
            entry.put("tool_calls", turn.toolCalls().size());
            if (turn.usage() != null)
            {
                entry.set("usage", ProxyJson.parse(turn.usage()));
            }
        }
        proxy.log.write(entry);
    }

    private String responseId(final String branch, final long step)
    {
        final String seed = branch + "@" + step;
        final String hex;
        try
        {
            hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8)), 0, 12);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("the JVM has no SHA-256", ex);
        }
        return (request.protocol == AnthropicMessages.INSTANCE ? "msg_fl" : "chatcmpl-fl") + hex;
    }
}
