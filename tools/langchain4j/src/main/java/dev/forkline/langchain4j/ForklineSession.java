package dev.forkline.langchain4j;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import dev.forkline.kernel.replay.DivergencePolicy;
import dev.forkline.kernel.replay.ModelTurn;
import dev.forkline.kernel.replay.Recorder;
import dev.forkline.kernel.replay.StepOverride;
import dev.forkline.kernel.replay.ToolCall;
import dev.forkline.kernel.replay.ToolResult;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.service.AiServiceContext;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.tool.ToolExecutor;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One agent episode recorded, replayed or forked through Forkline, and the LangChain4j pieces that go through
 * it. Build the chat model (or the AI service) from the session; everything else stays as it is:
 * <pre>{@code
 * try (ForklineSession session = ForklineSession.record(store, "task-42")) {
 *     Assistant assistant = session.aiServices(Assistant.class)      // was: AiServices.builder(Assistant.class)
 *         .chatModel(openAiModel)
 *         .tools(new Calculator())
 *         .build();
 *     assistant.chat("What is 2 + 3?");
 *     session.end("done");
 * }
 * // later, in a test: the same answers, no model called, no tool run
 * try (ForklineSession session = ForklineSession.replay(store, "task-42")) { … }
 * }</pre>
 * A session records model calls (the request as its hash, the response: text, tool calls, model, token usage,
 * finish reason) and tool executions (name, arguments, result or error). On replay every call is checked
 * against the recording and served from it; a changed request is a
 * {@link dev.forkline.kernel.replay.DivergenceException} at that step, or with {@link DivergencePolicy#FORK} a
 * new branch that goes on live.
 * <p>
 * Threading: one session is one agent's sequence of calls; its calls are serialised, so a streaming model may
 * call back on its client's threads. Several agents record at once through several sessions of one store.
 */
public final class ForklineSession implements AutoCloseable
{
    private final Store store;
    private final Recorder recorder;
    private final Object lock = new Object();
    private final Set<String> pendingToolCalls = new LinkedHashSet<>();

    private ForklineSession(final Store store, final Recorder recorder)
    {
        this.store = store;
        this.recorder = recorder;
    }

    /**
     * Starts a session that records live, with {@code session.start} {@code {"agent":"langchain4j"}}.
     *
     * @throws IllegalArgumentException when the id is malformed or the session exists already.
     */
    public static ForklineSession record(final Store store, final String sessionId)
    {
        return record(store, sessionId, "{\"agent\":\"langchain4j\"}");
    }

    /**
     * Starts a session that records live.
     *
     * @param startJson the {@code session.start} payload ({@code {"agent","model","tools","tags"}}).
     */
    public static ForklineSession record(final Store store, final String sessionId, final String startJson)
    {
        requireStore(store);
        return new ForklineSession(store, Recorder.live(store.startSession(sessionId, startJson)));
    }

    /**
     * Replays {@code branch}; a divergence throws {@link dev.forkline.kernel.replay.DivergenceException}.
     */
    public static ForklineSession replay(final Store store, final String branch)
    {
        return replay(store, branch, DivergencePolicy.FAIL);
    }

    /**
     * Replays {@code branch}; with {@link DivergencePolicy#FORK} a divergence forks there and goes on live.
     */
    public static ForklineSession replay(final Store store, final String branch, final DivergencePolicy policy)
    {
        requireStore(store);
        return new ForklineSession(store, Recorder.replay(store, branch, policy));
    }

    /**
     * Replays {@code branch} up to {@code step}, forks it there and goes on live in the new branch: "what if the
     * tool had returned X at step 7?".
     *
     * @param override the result of the call at {@code step} (for example
     *                 {@code StepOverride.toolResult(new ToolResult("…", false))}), or null to run it live.
     */
    public static ForklineSession fork(final Store store, final String branch, final long step, final StepOverride override)
    {
        requireStore(store);
        return new ForklineSession(store, Recorder.replayThenLive(store, branch, step, override));
    }

    /**
     * A session over a recorder made elsewhere (a test extension's, say).
     *
     * @param store the recorder's store, where {@link #outcome} appends.
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
     * @return a chat model that records {@code model}'s calls, or serves them from the recording.
     */
    public ChatModel chatModel(final ChatModel model)
    {
        if (model == null)
        {
            throw new IllegalArgumentException("the chat model to wrap must not be null");
        }
        return model instanceof ForklineChatModel forkline && forkline.session() == this ? model : new ForklineChatModel(this, model);
    }

    /**
     * @return a streaming chat model that records {@code model}'s calls or serves them from the recording, in
     * chunks, to the same handler callbacks.
     */
    public StreamingChatModel streamingChatModel(final StreamingChatModel model)
    {
        if (model == null)
        {
            throw new IllegalArgumentException("the streaming chat model to wrap must not be null");
        }
        return model instanceof ForklineStreamingChatModel forkline && forkline.session() == this ?
            model : new ForklineStreamingChatModel(this, model);
    }

    /**
     * The builder of an AI service whose chat model (or streaming chat model) and tools go through this session:
     * use it where {@code AiServices.builder(type)} was. Every tool execution of the service, whatever added the
     * tool ({@code tools(…)}, a tool provider, MCP), is recorded, and on replay served without running the tool.
     * Tools of one turn are recorded in the model's order, so {@code executeToolsConcurrently()} is refused.
     */
    public <T> AiServices<T> aiServices(final Class<T> type)
    {
        final AiServiceContext context = AiServiceContext.create(type);
        context.toolService = new RecordingToolService(this);
        return new ForklineAiServices<>(this, context);
    }

    /**
     * @return an executor that records {@code executor}'s executions, for an agent that runs tools itself.
     */
    public ToolExecutor toolExecutor(final ToolExecutor executor)
    {
        return RecordingToolExecutor.wrap(this, executor);
    }

    /**
     * Appends an {@code outcome} event ({@code {"reward","label"}}) to the branch the session records into (or
     * replays): the result of the episode, for preference pairs between forks.
     */
    public void outcome(final double reward, final String label)
    {
        if (!Double.isFinite(reward))
        {
            throw new IllegalArgumentException("reward must be finite: " + reward);
        }
        final ObjectNode outcome = Turns.MAPPER.createObjectNode().put("reward", reward).put("label", label);
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
     * @return the step the next call takes.
     */
    public long nextStep()
    {
        synchronized (lock)
        {
            return recorder.nextStep();
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

    /**
     * A model call through the recorder. Fails when the request answers tool calls of the last turn that were
     * not recorded: they ran outside the session, and a replay would run them again.
     */
    ModelTurn model(final String request, final List<ChatMessage> messages, final Function<String, ModelTurn> live)
    {
        synchronized (lock)
        {
            for (int i = messages.size() - 1; i >= 0 && messages.get(i) instanceof ToolExecutionResultMessage result; i--)
            {
                if (pendingToolCalls.contains(result.id()))
                {
                    throw new IllegalStateException("tool " + result.toolName() + " (call " + result.id() + ") ran outside " +
                        "Forkline, so a replay would run it again: build the AI service with ForklineSession.aiServices(…), " +
                        "or wrap the executor with ForklineSession.toolExecutor(…)");
                }
            }
            final ModelTurn turn = recorder.model(request, live);
            pendingToolCalls.clear();
            for (final ToolCall call : turn.toolCalls())
            {
                if (call.id() != null)
                {
                    pendingToolCalls.add(call.id());
                }
            }
            return turn;
        }
    }

    /**
     * A tool execution through the recorder.
     */
    ToolResult tool(final ToolCall call, final Function<ToolCall, ToolResult> live)
    {
        synchronized (lock)
        {
            final ToolResult result = recorder.tool(call, live);
            pendingToolCalls.remove(call.id());
            return result;
        }
    }

    private static void requireStore(final Store store)
    {
        if (store == null)
        {
            throw new IllegalArgumentException("store must not be null");
        }
    }
}
