package dev.forkline.kernel.replay;

import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * A changed agent: the same calls, and one clock read more just before the end.
 */
final class ExtraClockBeforeEnd implements Recorder
{
    private final Recorder delegate;

    ExtraClockBeforeEnd(final Recorder delegate)
    {
        this.delegate = delegate;
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
        return delegate.model(request, live);
    }

    @Override
    public ToolResult tool(final ToolCall call, final Function<ToolCall, ToolResult> live)
    {
        return delegate.tool(call, live);
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
        delegate.clock(() -> 7L);
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
    public void close()
    {
        delegate.close();
    }

    @Override
    public Divergence divergence()
    {
        return delegate.divergence();
    }
}
