package dev.forkline.kernel.replay;

import dev.forkline.kernel.EventCursor;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.EventView;
import dev.forkline.kernel.ForklineException;
import dev.forkline.kernel.Store;

import java.util.Objects;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * Serves each call from the next recorded event of a branch, after checking that the call is the one that
 * was recorded. Goes live (forking the branch) at a divergence under {@link DivergencePolicy#FORK}, or at the
 * requested step of a replay-then-live run.
 * <p>
 * Skipped while replaying: {@code session.start} (the agent's configuration, not a call), and {@code outcome}
 * and {@code annotation} events, which judge a run rather than record a call of it.
 */
final class ReplayRecorder implements Recorder
{
    private static final int REQUEST_EXCERPT = 80;

    private enum State
    {
        REPLAYING, LIVE, CLOSED
    }

    private final Store store;
    private final String source;
    private final DivergencePolicy policy;
    private final long liveFrom;
    private final EventCursor cursor;
    private final RecordedPayload recorded = new RecordedPayload();
    private final CanonicalJson canonical = new CanonicalJson();
    private StepOverride override;
    private LiveRecorder live;
    private State state = State.REPLAYING;
    private boolean atLiveStep;
    private Divergence divergence;
    /** The cursor stands on the next recorded call, which {@link #nextStep()} looked at and no call has taken yet. */
    private boolean peeked;

    ReplayRecorder(
        final Store store, final String branch, final DivergencePolicy policy, final long liveFrom, final StepOverride override)
    {
        this.store = store;
        this.source = branch;
        this.policy = policy;
        this.liveFrom = liveFrom;
        this.override = override;
        this.cursor = store.read(branch, 0);
    }

    @Override
    public void system(final String content)
    {
        message(EventKind.SYSTEM, content);
    }

    @Override
    public void user(final String content)
    {
        message(EventKind.USER, content);
    }

    private void message(final EventKind kind, final String content)
    {
        LiveRecorder.requireContent(content);
        if (checkLive())
        {
            if (kind == EventKind.USER)
            {
                live.user(content);
            }
            else
            {
                live.system(content);
            }
            return;
        }
        final EventView event = next();
        if (event != null && event.kind() == kind && decoded(event) && content.equals(recorded.content))
        {
            return;
        }
        goLive(event, kind, null, content, null);
        if (kind == EventKind.USER)
        {
            live.user(content);
        }
        else
        {
            live.system(content);
        }
    }

    @Override
    public ModelTurn model(final String request, final Function<String, ModelTurn> liveModel)
    {
        if (checkLive())
        {
            return live.model(request, liveModel);
        }
        canonical.digest(request);
        final EventView event = next();
        if (event != null && event.kind() == EventKind.MODEL_RESPONSE && decoded(event) && requestMatches())
        {
            return recorded.modelTurn(event);
        }
        final String hash = canonical.lastHash();
        goLive(event, EventKind.MODEL_RESPONSE, null, request, hash);
        final ModelTurn turn = (ModelTurn)takeOverride();
        return live.recordModel(turn != null ? turn : liveModel.apply(request), request, hash);
    }

    @Override
    public ToolResult tool(final ToolCall call, final Function<ToolCall, ToolResult> liveTool)
    {
        if (checkLive())
        {
            return live.tool(call, liveTool);
        }
        canonical.digestToolCall(call.name(), call.arguments());
        final EventView event = next();
        if (event != null && event.kind() == EventKind.TOOL_RESULT && decoded(event) &&
            recorded.nameEquals(call.name()) && requestMatches())
        {
            return new ToolResult(recorded.content == null ? "" : recorded.content, recorded.error);
        }
        final String hash = canonical.lastHash();
        goLive(event, EventKind.TOOL_RESULT, call.name(), call.arguments(), hash);
        final ToolResult result = (ToolResult)takeOverride();
        return live.recordTool(call, result != null ? result : liveTool.apply(call), hash);
    }

    @Override
    public long clock(final LongSupplier liveClock)
    {
        if (checkLive())
        {
            return live.clock(liveClock);
        }
        final EventView event = next();
        if (event != null && event.kind() == EventKind.CLOCK)
        {
            return value(event).longValue;
        }
        goLive(event, EventKind.CLOCK, null, null, null);
        final Object value = takeOverride();
        return live.recordClock(value != null ? (Long)value : liveClock.getAsLong());
    }

    @Override
    public double random(final DoubleSupplier liveRandom)
    {
        if (checkLive())
        {
            return live.random(liveRandom);
        }
        final EventView event = next();
        if (event != null && event.kind() == EventKind.RANDOM)
        {
            return value(event).doubleValue;
        }
        goLive(event, EventKind.RANDOM, null, null, null);
        final Object value = takeOverride();
        return live.recordRandom(value != null ? (Double)value : liveRandom.getAsDouble());
    }

    @Override
    public String effect(final String name, final String request, final UnaryOperator<String> liveEffect)
    {
        if (checkLive())
        {
            return live.effect(name, request, liveEffect);
        }
        if (name == null)
        {
            throw new IllegalArgumentException("effect name must not be null");
        }
        canonical.digest(request);
        final EventView event = next();
        if (event != null && event.kind() == EventKind.EFFECT && decoded(event) && recorded.nameEquals(name) && requestMatches())
        {
            return recorded.response;
        }
        final String hash = canonical.lastHash();
        goLive(event, EventKind.EFFECT, name, request, hash);
        final String response = (String)takeOverride();
        return live.recordEffect(name, request, response != null ? response : liveEffect.apply(request), hash);
    }

    @Override
    public void end(final String status)
    {
        if (checkLive())
        {
            live.end(status);
            return;
        }
        final EventView event = next();
        if (event != null && event.kind() == EventKind.SESSION_END && decoded(event) && Objects.equals(status, recorded.status))
        {
            return;
        }
        goLive(event, EventKind.SESSION_END, null, status, null);
        live.end(status);
    }

    @Override
    public String branch()
    {
        return live != null ? live.branch() : source;
    }

    @Override
    public long nextStep()
    {
        if (live != null)
        {
            return live.nextStep();
        }
        if (state == State.REPLAYING && !peeked)
        {
            peeked = next() != null;
        }
        return peeked ? cursor.event().step() : cursor.nextStep();
    }

    @Override
    public boolean isLive()
    {
        return live != null;
    }

    @Override
    public Divergence divergence()
    {
        return divergence;
    }

    @Override
    public void close()
    {
        if (state != State.REPLAYING)
        {
            return;
        }
        // An agent that stops while the recording goes on made fewer calls than were recorded.
        final EventView event = next();
        if (event == null)
        {
            release();
            return;
        }
        diverge(new Divergence(source, event.step(), Divergence.Change.MISSING_CALL, null,
            kindName(event) + " " + RecordedPayload.excerpt(event), "no more calls: the agent stopped", null));
    }

    private void release()
    {
        if (state == State.REPLAYING)
        {
            cursor.close();
            state = State.CLOSED;
        }
    }

    /**
     * @return true when calls go to the live recorder.
     */
    private boolean checkLive()
    {
        if (state == State.CLOSED && live == null)
        {
            throw new IllegalArgumentException("the replay of " + source + " is closed (ended or diverged)");
        }
        return live != null;
    }

    /**
     * @return the next recorded call, decoded; null at the end of the recording or at the step to go live at.
     */
    private EventView next()
    {
        if (peeked)
        {
            peeked = false;
            return cursor.event();
        }
        while (true)
        {
            if (cursor.nextStep() >= liveFrom)
            {
                atLiveStep = true;
                return null;
            }
            if (!cursor.next())
            {
                return null;
            }
            final EventView event = cursor.event();
            final EventKind kind = event.kind();
            if (kind != EventKind.SESSION_START && kind != EventKind.OUTCOME && kind != EventKind.ANNOTATION)
            {
                return event;
            }
        }
    }

    /**
     * A recorded event without a request hash (imported from elsewhere) is matched on kind and name only.
     */
    private boolean requestMatches()
    {
        return !recorded.hasRequestHash() || recorded.requestHashEquals(canonical.lastHashChars());
    }

    private boolean decoded(final EventView event)
    {
        recorded.decode(event);
        return true;
    }

    private RecordedPayload value(final EventView event)
    {
        recorded.decodeValue(event);
        if (!recorded.hasValue)
        {
            throw new ForklineException(ForklineException.Reason.CORRUPT_EVENT,
                "recorded " + event.kind().wireName() + " at " + source + "@" + event.step() + " has no numeric value");
        }
        return recorded;
    }

    /**
     * The call does not match {@code event} (null: nothing recorded there). Throws, or forks and goes live.
     */
    private void goLive(final EventView event, final EventKind kind, final String name, final String request, final String hash)
    {
        final long step = event != null ? event.step() : cursor.nextStep();
        if (atLiveStep)
        {
            if (override != null && override.kind() != kind)
            {
                throw new IllegalArgumentException("the override for " + source + "@" + step + " is a " +
                    override.kind().wireName() + " but the call there is a " + kind.wireName());
            }
            fork(step, "replay-then-live at step " + step);
            return;
        }
        final Divergence.Change change = change(event, kind, name);
        final Set<Divergence.RequestPart> parts = change == Divergence.Change.REQUEST ?
            RequestParts.differences(RequestParts.read(event), RequestParts.of(request)) : null;
        final String recordedExcerpt = event == null ?
            "end of branch (" + step + " steps)" : kindName(event) + " " + RecordedPayload.excerpt(event);
        diverge(new Divergence(source, step, change, parts, recordedExcerpt, came(kind, name, request, hash), null));
    }

    /**
     * Throws the divergence, or forks at its step and goes live, keeping it for {@link #divergence()}.
     */
    private void diverge(final Divergence found)
    {
        if (policy == DivergencePolicy.FAIL)
        {
            divergence = found;
            release();
            throw new DivergenceException(found);
        }
        final String came = found.came().startsWith("no more calls") ? found.came() : "came " + found.came();
        fork(found.step(), "replay diverged at step " + found.step() + " (" + found.describe() + "): " +
            CanonicalJson.excerpt(came, REQUEST_EXCERPT));
        divergence = found.forkedInto(live.branch());
    }

    /**
     * What differs between the call and {@code event} (null past the end of the recording); the payload of an event of
     * the call's kind is decoded.
     */
    private Divergence.Change change(final EventView event, final EventKind kind, final String name)
    {
        final EventKind recordedKind = event == null ? null : event.kind();
        if (event == null || (recordedKind == EventKind.SESSION_END && kind != EventKind.SESSION_END))
        {
            return Divergence.Change.EXTRA_CALL;
        }
        if (kind == EventKind.SESSION_END && recordedKind != EventKind.SESSION_END)
        {
            return Divergence.Change.MISSING_CALL;
        }
        if (recordedKind != kind)
        {
            return Divergence.Change.KIND;
        }
        return switch (kind)
        {
            case USER, SYSTEM -> Divergence.Change.CONTENT;
            case SESSION_END -> Divergence.Change.STATUS;
            case MODEL_RESPONSE -> Divergence.Change.REQUEST;
            case TOOL_RESULT, EFFECT -> recorded.nameEquals(name) ? Divergence.Change.ARGUMENTS : Divergence.Change.NAME;
            default -> Divergence.Change.KIND;
        };
    }

    private void fork(final long step, final String reason)
    {
        release();
        live = new LiveRecorder(store.fork(source, step, reason));
        state = State.LIVE;
    }

    private Object takeOverride()
    {
        final StepOverride taken = override;
        override = null;
        return taken == null ? null : taken.value();
    }

    private static String came(final EventKind kind, final String name, final String request, final String hash)
    {
        final StringBuilder out = new StringBuilder(kind.wireName());
        if (name != null)
        {
            out.append(' ').append(name);
        }
        if (request != null)
        {
            out.append(' ').append(CanonicalJson.excerpt(request, REQUEST_EXCERPT));
        }
        if (hash != null)
        {
            out.append(" (request ").append(hash, 0, Math.min(hash.length(), 19)).append("…)");
        }
        return out.toString();
    }

    private static String kindName(final EventView event)
    {
        final EventKind kind = event.kind();
        return kind == null ? "unknown kind" : kind.wireName();
    }
}
