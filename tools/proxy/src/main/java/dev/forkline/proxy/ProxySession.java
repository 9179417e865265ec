package dev.forkline.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.Event;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import dev.forkline.kernel.replay.DivergenceException;
import dev.forkline.kernel.replay.ModelTurn;
import dev.forkline.kernel.replay.Recorder;
import dev.forkline.kernel.replay.ToolCall;
import dev.forkline.kernel.replay.ToolResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One agent run seen through the proxy: the kernel {@link Recorder} its calls go through (live, replay, or
 * replay-then-live) and what the proxy knows of its conversation. Each request feeds the recorder the messages
 * that are new since the last one (system and user messages, tool results, assistant messages the client wrote
 * itself), then the model call, so a proxied run is recorded, and replayed, as the kernel's API records one.
 * <p>
 * Design note: a replay runs with {@link dev.forkline.kernel.replay.DivergencePolicy#FAIL}; the proxy's fork
 * policy forks on the divergence itself ({@link #forkAt}). It must, because it also forks where the kernel checks
 * nothing: on replay a tool result comes from the client, not from the recording, and one that differs from the
 * recorded one is a divergence at that step.
 * <p>
 * Threading: one request at a time, as {@link SessionTable} hands it out.
 */
final class ProxySession
{
    /** The effect an upstream error is recorded as: request {@code {"request_hash"}}, response {@code {"status","body"}}. */
    static final String UPSTREAM_ERROR = "upstream.error";
    /** The effect an assistant message is recorded as when the client wrote it, not the model through the proxy. */
    static final String ASSISTANT_MESSAGE = "assistant.message";
    /** The status of the {@code session.end} the proxy writes when it closes a session. */
    static final String END_STATUS = "ended";

    final String name;
    final Store store;
    boolean forkOnDivergence;
    private final long liveFrom;
    Recorder recorder;
    List<Prefix> known = List.of();
    boolean busy;
    long lastUsed;
    Divergence failed;
    Divergence forkedAt;
    /** The recorded upstream error a replayed model call served: {@code {"status","body"}}. */
    String servedError;
    final Map<String, ToolResult> substitutions = new HashMap<>();
    /** The lane a replaying session's calls run on; null for a session that only records. */
    ReplayLanes.Lane lane;

    /**
     * @param liveFrom the step a replay-then-live run goes live at; {@link Long#MAX_VALUE} otherwise.
     */
    ProxySession(final String name, final Store store, final boolean forkOnDivergence, final long liveFrom)
    {
        this.name = name;
        this.store = store;
        this.forkOnDivergence = forkOnDivergence;
        this.liveFrom = liveFrom;
    }

    /**
     * Runs {@code work} where this session's recorder may be used: on its lane while it replays, else here.
     */
    <T> T run(final java.util.function.Supplier<T> work)
    {
        final boolean replaying = recorder == null || !recorder.isLive();
        return lane != null && replaying ? lane.run(work) : work.get();
    }

    String branch()
    {
        return recorder.branch();
    }

    /**
     * Feeds the messages of {@code request} from index {@code from} on.
     *
     * @throws Divergence when one does not match the recording (and no fork policy applies).
     */
    void feed(final ModelRequest request, final int from)
    {
        for (int i = from; i < request.messages.size(); i++)
        {
            final Message message = request.messages.get(i);
            switch (message.role())
            {
                case Message.SYSTEM -> call(EventKind.SYSTEM, null, null, r ->
                {
                    r.system(nonNull(StoredText.of(message.content())));
                    return null;
                });
                case Message.TOOL ->
                {
                    final ToolCall known = request.toolCall(message.toolCallId());
                    final ToolCall call = known != null ? known : new ToolCall(message.toolCallId(), "unknown", "{}");
                    final ToolResult actual = new ToolResult(nonNull(StoredText.of(message.content())), message.error());
                    call(EventKind.TOOL_RESULT, call.name(), null, r -> tool(r, call, actual));
                }
                case Message.ASSISTANT ->
                {
                    final String json = assistantJson(message);
                    call(EventKind.EFFECT, ASSISTANT_MESSAGE, null, r -> r.effect(ASSISTANT_MESSAGE, json, ignored -> "null"));
                }
                default -> call(EventKind.USER, null, null, r ->
                {
                    r.user(nonNull(StoredText.of(message.content())));
                    return null;
                });
            }
        }
    }

    private ToolResult tool(final Recorder r, final ToolCall call, final ToolResult actual)
    {
        final boolean wasLive = r.isLive();
        final ToolResult got = r.tool(call, ignored -> actual);
        if (got.equals(actual))
        {
            return got;
        }
        if (!r.isLive())
        {
            throw new Divergence(r.branch(), r.nextStep() - 1, "tool_result",
                "tool.result " + call.name() + " " + excerpt(got.content()), "tool.result " + call.name() + " " + excerpt(actual.content()));
        }
        if (!wasLive)
        {
            // went live at this call with an override: the model is to see the override, not what the client sent
            substitutions.put(call.id(), got);
        }
        return got;
    }

    /**
     * The model call, after the messages were fed.
     *
     * @param hashText the request text whose hash the recorder keeps and checks.
     * @param live     calls the upstream; returns the turn to record.
     * @return the turn, or null when the recording has an upstream error here, then in {@link #servedError}.
     */
    ModelTurn model(final String hashText, final JsonNode tools, final Function<String, ModelTurn> live)
    {
        final Event next = recorder.isLive() ? null : peek();
        if (next != null && next.kind() == EventKind.EFFECT &&
            UPSTREAM_ERROR.equals(ProxyJson.text(ProxyJson.parse(next.payload()), "name")))
        {
            final String request = errorRequest(hashText);
            try
            {
                servedError = recorder.effect(UPSTREAM_ERROR, request, ignored ->
                {
                    throw new IllegalStateException("a replayed upstream error has no live call");
                });
                return null;
            }
            catch (final DivergenceException ex)
            {
                final Divergence divergence = Divergence.of(store, ex, EventKind.MODEL_RESPONSE, null, tools);
                if (!forkOnDivergence)
                {
                    throw divergence;
                }
                forkAt(divergence);
            }
        }
        return call(EventKind.MODEL_RESPONSE, null, tools, r -> r.model(hashText, live));
    }

    /**
     * Records an upstream error in place of the model turn (the recorder is live: errors come only from live calls).
     */
    void recordError(final String hashText, final int status, final JsonNode body)
    {
        final ObjectNode response = ProxyJson.object().put("status", status);
        response.set("body", body);
        recorder.effect(UPSTREAM_ERROR, errorRequest(hashText), ignored -> ProxyJson.write(response));
    }

    private static String errorRequest(final String hashText)
    {
        return ProxyJson.write(ProxyJson.object().put("request_hash", ModelRequest.requestHash(hashText)));
    }

    /**
     * Ends the session: {@code session.end} when recording, the end check when replaying (a replay at the end of
     * its recording just closes).
     *
     * @return the divergence the end check found, or null.
     */
    Divergence end()
    {
        if (recorder == null || failed != null)
        {
            return null;
        }
        try
        {
            if (!recorder.isLive() && peek() == null)
            {
                recorder.close();
                return null;
            }
            call(EventKind.SESSION_END, null, null, r ->
            {
                r.end(END_STATUS);
                return null;
            });
            recorder.close();
            return null;
        }
        catch (final Divergence divergence)
        {
            return divergence;
        }
        finally
        {
            closeQuietly();
        }
    }

    /**
     * Runs one call of the recorder; on a divergence under the fork policy, forks there and runs it again, live.
     */
    private <T> T call(final EventKind kind, final String toolName, final JsonNode tools, final Function<Recorder, T> call)
    {
        Divergence divergence;
        try
        {
            return call.apply(recorder);
        }
        catch (final DivergenceException ex)
        {
            divergence = Divergence.of(store, ex, kind, toolName, tools);
        }
        catch (final Divergence ex)
        {
            divergence = ex;
        }
        if (!forkOnDivergence)
        {
            throw divergence;
        }
        forkAt(divergence);
        return call.apply(recorder);
    }

    /**
     * Forks the replayed branch at the divergence and goes on live in the new branch.
     */
    private void forkAt(final Divergence divergence)
    {
        closeQuietly();
        final BranchWriter fork = store.fork(divergence.branch, divergence.step,
            "replay diverged at step " + divergence.step + " (" + divergence.change + "): came " + divergence.actual);
        recorder = Recorder.live(fork);
        forkedAt = divergence;
    }

    /**
     * @return the next recorded call of a replay (null at the end of the recording or at the step to go live at).
     */
    private Event peek()
    {
        final String branch = recorder.branch();
        final long length = store.branch(branch).length();
        for (long step = Math.max(1, recorder.nextStep()); step < length && step < liveFrom; step++)
        {
            final Event event = store.event(branch, step);
            final EventKind kind = event.kind();
            if (kind != EventKind.SESSION_START && kind != EventKind.OUTCOME && kind != EventKind.ANNOTATION)
            {
                return event;
            }
        }
        return null;
    }

    void closeQuietly()
    {
        try
        {
            recorder.close();
        }
        catch (final DivergenceException | IllegalArgumentException ignored)
        {
            // a replay closed before its end, or closed already: nothing is left to release
        }
    }

    /**
     * @return the turn as it is stored: texts redacted and cut to fit, arguments redacted.
     */
    static ModelTurn stored(final ModelTurn turn)
    {
        final List<ToolCall> calls = new ArrayList<>(turn.toolCalls().size());
        for (final ToolCall call : turn.toolCalls())
        {
            calls.add(new ToolCall(call.id(), call.name(), StoredText.redact(call.arguments())));
        }
        return new ModelTurn(StoredText.of(turn.content()), calls, turn.model(), turn.usage(), turn.finishReason(),
            turn.tokens());
    }

    private static String assistantJson(final Message message)
    {
        final ObjectNode out = ProxyJson.object().put("role", "assistant").put("content", StoredText.of(message.content()));
        final ArrayNode calls = out.putArray("tool_calls");
        for (final ToolCall call : message.toolCalls())
        {
            calls.addObject().put("id", call.id()).put("name", call.name()).put("arguments", StoredText.redact(call.arguments()));
        }
        return ProxyJson.write(out);
    }

    static String excerpt(final String text)
    {
        final String flat = text == null ? "null" : text.replace('\n', ' ');
        return flat.length() <= 80 ? "\"" + flat + "\"" : "\"" + flat.substring(0, 80) + "…\"";
    }

    private static String nonNull(final String text)
    {
        return text == null ? "" : text;
    }
}
