package dev.forkline.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.BranchInfo;
import dev.forkline.kernel.Event;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import dev.forkline.kernel.replay.DivergenceException;

import java.util.Objects;

/**
 * A request that does not match the recording it replays: where, what kind of change, and an excerpt of what was
 * recorded and of what came. Answered to the client as an HTTP error whose JSON body the SDKs show.
 * <p>
 * Design note: the kernel's {@link DivergenceException} names the step and both excerpts but not the kind of
 * change; {@link #of} works it out from the recorded event and the call that came, in this one place.
 */
final class Divergence extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** The error type of a divergence in both protocols' error bodies. */
    static final String TYPE = "forkline_divergence";
    static final int STATUS = 422;

    final String branch;
    final long step;
    final String change;
    final String expected;
    final String actual;

    Divergence(final String branch, final long step, final String change, final String expected, final String actual)
    {
        super("replay of " + branch + " diverged at step " + step + " (" + change + "): recorded " + expected + ", came " + actual);
        this.branch = branch;
        this.step = step;
        this.change = change;
        this.expected = expected;
        this.actual = actual;
    }

    /**
     * @param came         the kind of the call that came.
     * @param cameName     its tool or effect name, or null.
     * @param requestTools the tools of the model request that came, or null.
     * @return the divergence, with the kind of change: {@code call} (another kind of call), {@code message} (another
     * system or user message), {@code tool} (another tool), {@code arguments} (another tool call's arguments),
     * {@code tools} (another tool list), {@code request} (another model request otherwise), {@code more_calls} (the
     * recording has ended), {@code fewer_calls} (the agent stopped first), {@code status} (another end status).
     */
    static Divergence of(
        final Store store, final DivergenceException ex, final EventKind came, final String cameName, final JsonNode requestTools)
    {
        return new Divergence(ex.branch(), ex.step(), change(store, ex, came, cameName, requestTools), ex.recorded(), ex.came());
    }

    private static String change(
        final Store store, final DivergenceException ex, final EventKind came, final String cameName, final JsonNode requestTools)
    {
        if (ex.came().startsWith("no more calls"))
        {
            return "fewer_calls";
        }
        final Event recorded = eventAt(store, ex.branch(), ex.step());
        if (recorded == null || (recorded.kind() == EventKind.SESSION_END && came != EventKind.SESSION_END))
        {
            return "more_calls";
        }
        if (recorded.kind() != came)
        {
            return "call";
        }
        final JsonNode payload = payload(recorded);
        return switch (came)
        {
            case USER, SYSTEM -> "message";
            case TOOL_RESULT -> Objects.equals(ProxyJson.text(payload, "name"), cameName) ? "arguments" : "tool";
            case MODEL_RESPONSE -> toolsChanged(store, ex.branch(), requestTools) ? "tools" : "request";
            case SESSION_END -> "status";
            default -> "request";
        };
    }

    private static boolean toolsChanged(final Store store, final String branch, final JsonNode requestTools)
    {
        final Event start = eventAt(store, branch, 0);
        final JsonNode recorded = start == null ? null : payload(start).get("tools");
        final boolean recordedNone = recorded == null || recorded.isNull() || recorded.isEmpty();
        final boolean cameNone = requestTools == null || requestTools.isNull() || requestTools.isEmpty();
        return recordedNone != cameNone || (!recordedNone && !recorded.equals(requestTools));
    }

    private static Event eventAt(final Store store, final String branch, final long step)
    {
        final BranchInfo info = store.branch(branch);
        return step < info.length() ? store.event(branch, step) : null;
    }

    private static JsonNode payload(final Event event)
    {
        try
        {
            return ProxyJson.parse(event.payload());
        }
        catch (final IllegalArgumentException ex)
        {
            return ProxyJson.object();
        }
    }

    /**
     * @return the fields a client reads beside the error's type and message.
     */
    ObjectNode details()
    {
        final ObjectNode out = ProxyJson.object();
        out.put("branch", branch);
        out.put("step", step);
        out.put("change", change);
        out.put("expected", expected);
        out.put("actual", actual);
        return out;
    }
}
