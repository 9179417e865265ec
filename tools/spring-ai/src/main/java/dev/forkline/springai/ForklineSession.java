package dev.forkline.springai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import dev.forkline.kernel.replay.DivergencePolicy;
import dev.forkline.kernel.replay.ModelTurn;
import dev.forkline.kernel.replay.Recorder;
import dev.forkline.kernel.replay.StepOverride;
import dev.forkline.kernel.replay.ToolCall;
import dev.forkline.kernel.replay.ToolResult;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * One agent episode recorded, replayed or forked through Forkline: the recorder that {@link ForklineAdvisor}
 * sends every model round and tool callback of a {@code ChatClient} call through. Give it to a call to decide
 * yourself what is recorded where:
 * <pre>{@code
 * try (ForklineSession session = ForklineSession.replay(store, "task-42")) {
 *     String answer = chatClient.prompt("What is 2 + 3?")
 *         .advisors(a -> a.param(ForklineAdvisor.SESSION, session))
 *         .call().content();
 *     session.end("done");
 * }
 * }</pre>
 * Without one, the advisor opens a session per call as {@code forkline.mode} says.
 * <p>
 * Threading: one session is one agent's sequence of calls; its calls are serialised, so a stream may call back on
 * its client's threads. Several agents record at once through several sessions of one store.
 */
public final class ForklineSession implements AutoCloseable
{
    private final Store store;
    private final Recorder recorder;
    private final Object lock = new Object();
    private final List<ToolCall> pendingToolCalls = new ArrayList<>();

    private ForklineSession(final Store store, final Recorder recorder)
    {
        this.store = store;
        this.recorder = recorder;
    }

    /**
     * Starts a session that records live, with {@code session.start} {@code {"agent":"spring-ai"}}.
     *
     * @param sessionId the id, or null for a generated, time-ordered one.
     */
    public static ForklineSession record(final Store store, final String sessionId)
    {
        requireStore(store);
        return new ForklineSession(store, Recorder.live(store.startSession(sessionId, "{\"agent\":\"spring-ai\"}")));
    }

    /**
     * Replays {@code branch}: a divergence throws {@link dev.forkline.kernel.replay.DivergenceException}, or with
     * {@link DivergencePolicy#FORK} forks there and goes on live.
     */
    public static ForklineSession replay(final Store store, final String branch, final DivergencePolicy policy)
    {
        requireStore(store);
        return new ForklineSession(store, Recorder.replay(store, branch, policy));
    }

    /**
     * Replays {@code branch} with {@link DivergencePolicy#FAIL}.
     */
    public static ForklineSession replay(final Store store, final String branch)
    {
        return replay(store, branch, DivergencePolicy.FAIL);
    }

    /**
     * Replays {@code branch} up to {@code step}, forks it there and goes on live in the new branch.
     *
     * @param override the result of the call at {@code step}, or null to run it live.
     */
    public static ForklineSession fork(final Store store, final String branch, final long step, final StepOverride override)
    {
        requireStore(store);
        return new ForklineSession(store, Recorder.replayThenLive(store, branch, step, override));
    }

    /**
     * A session over a recorder made elsewhere (a test extension's, say).
     */
    public static ForklineSession over(final Store store, final Recorder recorder)
    {
        requireStore(store);
        if (recorder == null)
        {
            throw new IllegalArgumentException("recorder must not be null");
        }
        return new ForklineSession(store, recorder);
    }

    /**
     * Appends an {@code outcome} event ({@code {"reward","label"}}) to the branch the session records into (or replays).
     */
    public void outcome(final double reward, final String label)
    {
        if (!Double.isFinite(reward))
        {
            throw new IllegalArgumentException("reward must be finite: " + reward);
        }
        final ObjectNode outcome = SpringTurns.MAPPER.createObjectNode().put("reward", reward).put("label", label);
        synchronized (lock)
        {
            store.writer(recorder.branch()).append(EventKind.OUTCOME, outcome.toString());
        }
    }

    /**
     * Ends the episode ({@code session.end}); on replay, a recording with calls left is a divergence.
     */
    public void end(final String status)
    {
        synchronized (lock)
        {
            recorder.end(status);
        }
    }

    /**
     * @return the branch calls are recorded into or replayed from now: a new branch once a replay went live.
     */
    public String branch()
    {
        synchronized (lock)
        {
            return recorder.branch();
        }
    }

    /**
     * @return true when calls run live: a recording, or a replay after it forked.
     */
    public boolean isLive()
    {
        synchronized (lock)
        {
            return recorder.isLive();
        }
    }

    /**
     * Closes the recorder; closing a replay before its end is a divergence (see {@link Recorder#close()}).
     */
    @Override
    public void close()
    {
        synchronized (lock)
        {
            recorder.close();
        }
    }

    ModelTurn model(final String request, final Function<String, ModelTurn> live)
    {
        synchronized (lock)
        {
            if (!pendingToolCalls.isEmpty())
            {
                throw outside(pendingToolCalls.get(0));
            }
            return recorder.model(request, live);
        }
    }

    /**
     * The tool calls the next tool executions answer, in the model's order.
     */
    void expectToolCalls(final List<ToolCall> calls)
    {
        synchronized (lock)
        {
            pendingToolCalls.clear();
            pendingToolCalls.addAll(calls);
        }
    }

    /**
     * @throws IllegalStateException when a tool call of the last turn did not come through the session.
     */
    void checkToolCallsRecorded()
    {
        synchronized (lock)
        {
            if (!pendingToolCalls.isEmpty())
            {
                final ToolCall missed = pendingToolCalls.get(0);
                pendingToolCalls.clear();
                throw outside(missed);
            }
        }
    }

    /**
     * A tool execution through the recorder, as the answer to the first pending call of that tool.
     */
    ToolResult tool(final String name, final String arguments, final Function<ToolCall, ToolResult> live)
    {
        synchronized (lock)
        {
            String id = null;
            for (final Iterator<ToolCall> calls = pendingToolCalls.iterator(); calls.hasNext(); )
            {
                final ToolCall call = calls.next();
                if (call.name().equals(name))
                {
                    id = call.id();
                    calls.remove();
                    break;
                }
            }
            return recorder.tool(new ToolCall(id, name, arguments), live);
        }
    }

    private static IllegalStateException outside(final ToolCall call)
    {
        return new IllegalStateException("tool " + call.name() + " (call " + call.id() + ") ran outside Forkline, so a " +
            "replay would run it again: give it to the ChatClient as a tool callback (tools(…), toolCallbacks(…)), or " +
            "register a ToolCallbackResolver bean that resolves its name");
    }

    private static void requireStore(final Store store)
    {
        if (store == null)
        {
            throw new IllegalArgumentException("store must not be null");
        }
    }
}
