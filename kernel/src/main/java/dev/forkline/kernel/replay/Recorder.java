package dev.forkline.kernel.replay;

import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.Store;

import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * The one door through which an agent makes every nondeterministic call: model calls, tool calls, clock
 * and random reads, and any other effect. The same agent code runs on a live session or on a replay.
 * <ul>
 *     <li>{@link #live}: each call runs its live function and is recorded as an event with its request hash.</li>
 *     <li>{@link #replay}: each call is checked against the next recorded event (kind, tool or effect name,
 *     request hash) and gets the recorded result; the live function is never invoked. A mismatch throws a
 *     {@link DivergenceException} or, with {@link DivergencePolicy#FORK}, forks there and goes on live.</li>
 *     <li>{@link #replayThenLive}: replays up to a step, forks there and goes on live, optionally giving the
 *     call at that step an overridden result.</li>
 * </ul>
 * <pre>{@code
 * try (Recorder recorder = Recorder.live(store.startSession("task-42", SessionStart.of("my-agent")))) {
 *     recorder.user("What is 6 x 7?");
 *     ModelTurn turn = recorder.model(requestJson, model::complete);
 *     ToolResult result = recorder.tool(turn.toolCalls().get(0), tools::run);
 *     recorder.end("done");
 * }
 * }</pre>
 * Every value a call returns live comes back bit for bit on replay (see {@code docs/replay.md}). Events the
 * recorder does not write (outcomes, annotations) are appended as typed events: {@link Outcome}, {@link Annotation}.
 * <p>
 * Threading: one thread at a time; a recorder may move between threads. A call must happen-before the next call
 * made on another thread (a lock, a queue, {@code Future.get()}, a reactive stream's serial signals); a replay's
 * cursor follows the recorder from thread to thread. Close it when done (a replay holds a cursor).
 */
public interface Recorder extends AutoCloseable
{
    /**
     * @return a recorder that runs every call live and appends it to {@code writer}'s branch.
     */
    static Recorder live(final BranchWriter writer)
    {
        if (writer == null)
        {
            throw new IllegalArgumentException("writer must not be null");
        }
        return new LiveRecorder(writer);
    }

    /**
     * @return a recorder that replays {@code branch} from step 1 (after its {@code session.start}).
     * @throws dev.forkline.kernel.ForklineException {@code UNKNOWN_BRANCH}.
     */
    static Recorder replay(final Store store, final String branch, final DivergencePolicy policy)
    {
        if (store == null || policy == null)
        {
            throw new IllegalArgumentException("store and policy must not be null");
        }
        return new ReplayRecorder(store, branch, policy, Long.MAX_VALUE, null);
    }

    /**
     * Replays {@code branch} up to {@code step} (steps before it must match, else {@link DivergenceException}),
     * then forks the branch at {@code step} and records live into the new branch, which shares steps
     * {@code 0..step-1}.
     *
     * @param step     the fork step, from 1 to the branch's length.
     * @param override the result for the call at {@code step}, or null to run that call live too.
     * @throws dev.forkline.kernel.ForklineException {@code UNKNOWN_BRANCH}, {@code STEP_OUT_OF_RANGE}.
     */
    static Recorder replayThenLive(final Store store, final String branch, final long step, final StepOverride override)
    {
        if (store == null)
        {
            throw new IllegalArgumentException("store must not be null");
        }
        if (step < 1)
        {
            throw new IllegalArgumentException("replay-then-live step must be at least 1 (after session.start): " + step);
        }
        final long length = store.branch(branch).length();
        if (step > length)
        {
            throw new dev.forkline.kernel.ForklineException(dev.forkline.kernel.ForklineException.Reason.STEP_OUT_OF_RANGE,
                "cannot go live at " + branch + "@" + step + ": the branch has " + length + " steps");
        }
        return new ReplayRecorder(store, branch, DivergencePolicy.FAIL, step, override);
    }

    /**
     * Records (or checks, on replay) a system message.
     */
    void system(String content);

    /**
     * Records (or checks, on replay) a user message: on replay, another content is a divergence.
     */
    void user(String content);

    /**
     * A model call.
     *
     * @param request the full model request (messages, tools, parameters), a JSON text; only its hash is stored.
     * @param live    calls the model with the request.
     * @return the model's turn.
     */
    ModelTurn model(String request, Function<String, ModelTurn> live);

    /**
     * A tool call; its request is the tool name and the arguments.
     *
     * @param live runs the tool.
     * @return what the tool returned.
     */
    ToolResult tool(ToolCall call, Function<ToolCall, ToolResult> live);

    /**
     * A clock read; a replay returns the recorded long exactly, whatever its size.
     *
     * @param live reads the clock, for example {@code System::currentTimeMillis}.
     */
    long clock(LongSupplier live);

    /**
     * A random read; a replay returns the recorded double bit for bit ({@code -0.0} included).
     *
     * @param live draws the number, for example {@code random::nextDouble}.
     * @throws IllegalArgumentException when the number is NaN or infinite, which JSON cannot hold; nothing is recorded.
     */
    double random(DoubleSupplier live);

    /**
     * Any other call into the world.
     *
     * @param name    what kind of effect, checked on replay.
     * @param request the request, a JSON text; stored in full and checked by hash on replay.
     * @param live    performs the effect and returns its response, a JSON text (not null).
     * @return the response as recorded, live and on replay alike: the JSON text without the white space between its
     * tokens, every number and string exactly as written.
     */
    String effect(String name, String request, UnaryOperator<String> live);

    /**
     * Ends the episode with {@code session.end}. On replay, a recording with more calls left is a divergence.
     */
    void end(String status);

    /**
     * @return the branch calls are served from or recorded into now; a new branch once a replay went live.
     */
    String branch();

    /**
     * @return the step the next call takes: live, the branch's next step; on a replay, the step of the next
     * recorded call (past {@code session.start}, {@code outcome} and {@code annotation} events, which are no calls),
     * or the branch's length when the recording has no call left. So on a fresh session it is 1, live and on replay.
     */
    long nextStep();

    /**
     * @return true when calls run live (a live recorder, or a replay after it forked).
     */
    boolean isLive();

    /**
     * @return where and why this replay diverged: under {@link DivergencePolicy#FORK}, with the branch it forked
     * into and goes on live in ({@link #branch()}); under {@link DivergencePolicy#FAIL}, what the
     * {@link DivergenceException} said. Null while the replay matches its recording, for a live recorder, and for
     * the fork a replay-then-live run asked for.
     */
    Divergence divergence();

    /**
     * Releases the replay cursor; a live recorder holds nothing. A replay closed before the end of its
     * recording means the agent made fewer calls than were recorded: with {@link DivergencePolicy#FAIL} this
     * throws a {@link DivergenceException} naming the first call not made; with {@link DivergencePolicy#FORK} it
     * forks there, so the shorter run is kept as a branch that shares the prefix.
     */
    @Override
    void close();
}
