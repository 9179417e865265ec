package dev.forkline.junit;

import dev.forkline.kernel.replay.Divergence;
import dev.forkline.kernel.replay.ModelTurn;
import dev.forkline.kernel.replay.Recorder;
import dev.forkline.kernel.replay.ToolCall;
import dev.forkline.kernel.replay.ToolResult;

import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * The recorder a {@link Recording} hands out: the kernel's, closed as soon as the agent calls {@link #end}, on
 * the agent's own thread. Design note: a replay reads its journal from one thread, and the agent's thread may
 * not be the test's (several agents of one test run on threads of their own); closing at the end, where a replay
 * checks that nothing was left unplayed, keeps that check on the thread that made the calls. The extension
 * closes what is still open after the test.
 */
final class TestRecorder implements Recorder
{
    private final Recorder delegate;
    private volatile boolean closed;

    TestRecorder(final Recorder delegate)
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
        delegate.end(status);
        close();
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
    public Divergence divergence()
    {
        return delegate.divergence();
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            delegate.close();
        }
    }
}
