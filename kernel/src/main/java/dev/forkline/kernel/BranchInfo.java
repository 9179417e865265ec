package dev.forkline.kernel;

/**
 * What the store knows about one branch.
 *
 * @param name               the branch name: the session id for a root branch, {@code <session>/<n>} for a fork.
 * @param session            the session.
 * @param parent             the parent branch, or null for a root branch.
 * @param forkStep           the first step of the branch's own events; steps below it are the parent's. 0 for a root.
 * @param length             the number of steps readable now, shared prefix included.
 * @param lastTimestampNanos when the branch last had an event, in nanoseconds since the epoch.
 * @param outcome            the payload of the branch's latest {@code outcome} event, or null.
 */
public record BranchInfo(
    String name, String session, String parent, long forkStep, long length, long lastTimestampNanos, String outcome)
{
    /**
     * @return true for a session's root branch.
     */
    public boolean isRoot()
    {
        return parent == null;
    }
}
