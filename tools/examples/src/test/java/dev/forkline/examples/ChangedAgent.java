package dev.forkline.examples;

import dev.forkline.kernel.replay.ModelTurn;
import dev.forkline.kernel.replay.Recorder;
import dev.forkline.kernel.replay.ToolCall;
import dev.forkline.kernel.replay.ToolResult;

import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * Makes the reference agent a changed agent without touching its code: it rewrites its tool calls, or reads
 * the clock once more before a given model call.
 */
final class ChangedAgent implements Recorder
{
    private final Recorder delegate;
    private final Function<ToolCall, ToolCall> rewrite;
    private final int extraClockBeforeModelCall;
    private int modelCalls;

    ChangedAgent(final Recorder delegate, final Function<ToolCall, ToolCall> rewrite, final int extraClockBeforeModelCall)
    {
        this.delegate = delegate;
        this.rewrite = rewrite;
        this.extraClockBeforeModelCall = extraClockBeforeModelCall;
    }

    @Override
    public void system(final String content)
    {
        delegate.system(content);
    }

    @Override
    public void user(final String content)
    {
        delegate.user(content);
    }

    @Override
    public ModelTurn model(final String request, final Function<String, ModelTurn> live)
    {
        if (++modelCalls == extraClockBeforeModelCall)
        {
            delegate.clock(System::nanoTime);
        }
        return delegate.model(request, live);
    }

    @Override
    public ToolResult tool(final ToolCall call, final Function<ToolCall, ToolResult> live)
    {
        return delegate.tool(rewrite.apply(call), live);
    }

    @Override
    public long clock(final LongSupplier live)
    {
        return delegate.clock(live);
    }

    @Override
    public double random(final DoubleSupplier live)
    {
        return delegate.random(live);
    }

    @Override
    public String effect(final String name, final String request, final UnaryOperator<String> live)
    {
        return delegate.effect(name, request, live);
    }

    @Override
    public void end(final String status)
    {
        delegate.end(status);
    }

    @Override
    public String branch()
    {
        return delegate.branch();
    }

    @Override
    public long nextStep()
    {
        return delegate.nextStep();
    }

    @Override
    public boolean isLive()
    {
        return delegate.isLive();
    }

    @Override
    public dev.forkline.kernel.replay.Divergence divergence()
    {
        return delegate.divergence();
    }

    @Override
    public void close()
    {
        delegate.close();
    }
}
