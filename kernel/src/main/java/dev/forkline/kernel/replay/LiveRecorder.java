package dev.forkline.kernel.replay;

import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.EventKind;

import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * Runs every call and appends it, with its request hash, to one branch.
 */
final class LiveRecorder implements Recorder
{
    private final BranchWriter writer;
    private final CanonicalJson canonical = new CanonicalJson();

    LiveRecorder(final BranchWriter writer)
    {
        this.writer = writer;
    }

    @Override
    public void system(final String content)
    {
        writer.append(EventKind.SYSTEM, Payloads.content(requireContent(content)));
    }

    @Override
    public void user(final String content)
    {
        writer.append(EventKind.USER, Payloads.content(requireContent(content)));
    }

    @Override
    public ModelTurn model(final String request, final Function<String, ModelTurn> live)
    {
        final String hash = canonical.hash(request);
        return recordModel(live.apply(request), request, hash);
    }

    ModelTurn recordModel(final ModelTurn turn, final String request, final String requestHash)
    {
        if (turn == null)
        {
            throw new IllegalArgumentException("the live model function returned null");
        }
        writer.append(EventKind.MODEL_RESPONSE, Payloads.modelResponse(turn, requestHash, RequestParts.of(request)));
        return turn;
    }

    @Override
    public ToolResult tool(final ToolCall call, final Function<ToolCall, ToolResult> live)
    {
        final String hash = canonical.hashToolCall(call.name(), call.arguments());
        return recordTool(call, live.apply(call), hash);
    }

    ToolResult recordTool(final ToolCall call, final ToolResult result, final String requestHash)
    {
        if (result == null)
        {
            throw new IllegalArgumentException("the live function of tool " + call.name() + " returned null");
        }
        writer.append(EventKind.TOOL_RESULT, Payloads.toolResult(call, result, requestHash));
        return result;
    }

    @Override
    public long clock(final LongSupplier live)
    {
        return recordClock(live.getAsLong());
    }

    long recordClock(final long value)
    {
        writer.append(EventKind.CLOCK, Payloads.value(value));
        return value;
    }

    @Override
    public double random(final DoubleSupplier live)
    {
        return recordRandom(live.getAsDouble());
    }

    double recordRandom(final double value)
    {
        Payloads.requireFinite(value);
        writer.append(EventKind.RANDOM, Payloads.value(value));
        return value;
    }

    @Override
    public String effect(final String name, final String request, final UnaryOperator<String> live)
    {
        final String hash = effectHash(name, request);
        return recordEffect(name, request, live.apply(request), hash);
    }

    String effectHash(final String name, final String request)
    {
        if (name == null)
        {
            throw new IllegalArgumentException("effect name must not be null");
        }
        return canonical.hash(request);
    }

    /**
     * @return the response as recorded: compact, the same text a replay returns.
     */
    String recordEffect(final String name, final String request, final String response, final String requestHash)
    {
        if (response == null)
        {
            throw new IllegalArgumentException("the live function of effect " + name + " returned null");
        }
        final String recorded = JsonText.compact(response, "effect response");
        writer.append(EventKind.EFFECT, Payloads.effect(name, JsonText.compact(request, "effect request"), recorded, requestHash));
        return recorded;
    }

    @Override
    public void end(final String status)
    {
        writer.end(status);
    }

    @Override
    public String branch()
    {
        return writer.branch();
    }

    @Override
    public long nextStep()
    {
        return writer.nextStep();
    }

    @Override
    public boolean isLive()
    {
        return true;
    }

    @Override
    public Divergence divergence()
    {
        return null;
    }

    @Override
    public void close()
    {
    }

    static String requireContent(final String content)
    {
        if (content == null)
        {
            throw new IllegalArgumentException("message content must not be null");
        }
        return content;
    }
}
