package dev.forkline.kernel.replay;

import java.util.Set;

/**
 * A replayed agent made a call that the recording does not have at that step: another kind, another tool or
 * effect, other arguments, another request, or more or fewer calls than were recorded; {@link #change()} says which.
 */
public final class DivergenceException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient Divergence divergence;

    /**
     * @param divergence where and why.
     */
    public DivergenceException(final Divergence divergence)
    {
        super("replay of " + divergence.branch() + " diverged at step " + divergence.step() + " (" + divergence.describe() +
            "): recorded " + divergence.recorded() + ", came " + divergence.came());
        this.divergence = divergence;
    }

    /**
     * @return where and why, as one value.
     */
    public Divergence divergence()
    {
        return divergence;
    }

    /**
     * @return what kind of change it was.
     */
    public Divergence.Change change()
    {
        return divergence.change();
    }

    /**
     * @return for {@link Divergence.Change#REQUEST}, the parts of the model request that differ; else empty.
     */
    public Set<Divergence.RequestPart> requestParts()
    {
        return divergence.requestParts();
    }

    /**
     * @return the branch being replayed.
     */
    public String branch()
    {
        return divergence.branch();
    }

    /**
     * @return the step where the call and the recording differ.
     */
    public long step()
    {
        return divergence.step();
    }

    /**
     * @return an excerpt of the recorded event.
     */
    public String recorded()
    {
        return divergence.recorded();
    }

    /**
     * @return an excerpt of the call that came.
     */
    public String came()
    {
        return divergence.came();
    }
}
