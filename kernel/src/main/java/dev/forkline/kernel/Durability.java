package dev.forkline.kernel;

/**
 * What an acknowledged append survives. See {@code docs/reliability.md}.
 */
public enum Durability
{
    /**
     * Default. An event is safe once the journal thread has written it to the memory-mapped journal:
     * it survives a crash of the process, not of the operating system. {@link BranchWriter#commit()}
     * waits only until everything before it is in the journal.
     */
    OS_CACHE,

    /**
     * {@link BranchWriter#commit()} returns only after everything appended before it has been written
     * and forced to disk (msync). Commits from many threads that arrive together share one msync
     * (group commit).
     */
    SYNC
}
