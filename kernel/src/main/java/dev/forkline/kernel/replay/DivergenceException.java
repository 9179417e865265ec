package dev.forkline.kernel.replay;

/**
 * A replayed agent made a call that the recording does not have at that step: another kind, another tool or
 * effect, another request, or more or fewer calls than were recorded.
 */
public final class DivergenceException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String branch;
    private final long step;
    private final String recorded;
    private final String came;

    /**
     * @param branch   the branch being replayed.
     * @param step     the step where the call and the recording differ.
     * @param recorded a short excerpt of what was recorded at that step ({@code "end of branch"} past its head).
     * @param came     a short excerpt of the call the agent made.
     */
    public DivergenceException(final String branch, final long step, final String recorded, final String came)
    {
        super("replay of " + branch + " diverged at step " + step + ": recorded " + recorded + ", came " + came);
        this.branch = branch;
        this.step = step;
        this.recorded = recorded;
        this.came = came;
    }

    /**
     * @return the branch being replayed.
     */
    public String branch()
    {
        return branch;
    }

    /**
     * @return the step where the call and the recording differ.
     */
    public long step()
    {
        return step;
    }

    /**
     * @return an excerpt of the recorded event.
     */
    public String recorded()
    {
        return recorded;
    }

    /**
     * @return an excerpt of the call that came.
     */
    public String came()
    {
        return came;
    }
}
