package dev.forkline.kernel;

import java.util.Arrays;
import java.util.List;
import java.util.ArrayList;

/**
 * Everything the store knows about one branch: its place in the fork tree, where each of its own events
 * sits in the journal, and its latest outcome.
 * <p>
 * Threading: {@link #nextStep} is assigned by appending threads while they hold this object's monitor;
 * {@link #locations}, {@link #length} and the outcome fields are written by exactly one thread (the
 * journal thread of a writing store, or the thread that refreshes a read-only store) and read by any.
 * The writer stores a location, then publishes {@code length} with a volatile write; a reader reads
 * {@code length} first, so every location below it is visible.
 */
final class BranchState
{
    static final long NO_LOCATION = 0; // journal indexes carry the roll cycle in their high bits: never 0

    final int id;
    final String name;
    final String session;
    final BranchState parent;
    /** Steps below this are the parent's; the branch's own events start here. 0 for a root branch. */
    final long forkStep;

    /** On a root branch: the root and every fork of its session, in creation order; else null. Guarded by the table. */
    private final List<BranchState> family;

    /** Next step to assign; guarded by this object's monitor in a writing store. */
    long nextStep;

    private volatile long[] locations = new long[8];
    private volatile long length;
    private volatile long forkEventLocation = NO_LOCATION;
    private volatile long outcomeLocation = NO_LOCATION;
    private volatile long lastTimestampNanos;
    private volatile int forkCount;
    private byte[] chainHead; // written by the single index writer only

    BranchState(final int id, final String name, final String session, final BranchState parent, final long forkStep)
    {
        this.id = id;
        this.name = name;
        this.session = session;
        this.parent = parent;
        this.forkStep = forkStep;
        this.nextStep = forkStep;
        this.length = forkStep;
        this.family = parent == null ? new ArrayList<>(List.of(this)) : null;
    }

    List<BranchState> family()
    {
        return family;
    }

    boolean isRoot()
    {
        return parent == null;
    }

    /**
     * @return steps readable now: the shared prefix plus the own events in the journal.
     */
    long length()
    {
        return length;
    }

    long lastTimestampNanos()
    {
        return lastTimestampNanos;
    }

    long forkEventLocation()
    {
        return forkEventLocation;
    }

    long outcomeLocation()
    {
        return outcomeLocation;
    }

    int forkCount()
    {
        return forkCount;
    }

    /**
     * Called by the single index writer when an event of this branch reaches the journal.
     */
    void indexEvent(final long step, final long location, final EventKind kind, final long timestampNanos)
    {
        if (kind == EventKind.FORK)
        {
            forkEventLocation = location;
            lastTimestampNanos = timestampNanos;
            return;
        }
        final int slot = (int)(step - forkStep);
        long[] locations = this.locations;
        if (slot >= locations.length)
        {
            locations = Arrays.copyOf(locations, Math.max(slot + 1, locations.length * 2));
            this.locations = locations;
        }
        locations[slot] = location;
        if (kind == EventKind.OUTCOME)
        {
            outcomeLocation = location;
        }
        lastTimestampNanos = timestampNanos;
        if (step + 1 > length)
        {
            length = step + 1;
        }
    }

    /**
     * Sets the index of this branch from a snapshot, before the store is shared with any other thread.
     */
    void restoreIndex(
        final long[] locations,
        final long length,
        final long forkEventLocation,
        final long outcomeLocation,
        final long lastTimestampNanos,
        final int forkCount)
    {
        this.locations = locations;
        this.length = length;
        this.nextStep = Math.max(forkStep, length);
        this.forkEventLocation = forkEventLocation;
        this.outcomeLocation = outcomeLocation;
        this.lastTimestampNanos = lastTimestampNanos;
        if (forkCount > this.forkCount)
        {
            this.forkCount = forkCount;
        }
    }

    /**
     * @return the hash-chain value of the branch's last sealed event, or null before its first.
     */
    byte[] chainHead()
    {
        return chainHead;
    }

    /**
     * Sets the hash-chain value of the branch's last sealed event (copied).
     */
    void chainHead(final byte[] link)
    {
        if (chainHead == null)
        {
            chainHead = new byte[link.length];
        }
        System.arraycopy(link, 0, chainHead, 0, link.length);
    }

    /** On a root branch: records that fork number {@code forkNumber} of the session exists (under the table's lock). */
    void countFork(final int forkNumber)
    {
        if (forkNumber > forkCount)
        {
            forkCount = forkNumber;
        }
    }

    /**
     * @param step a step at or after {@link #forkStep} and below {@link #length()}.
     * @return the journal index of this branch's own event at that step, or {@link #NO_LOCATION}.
     */
    long ownLocation(final long step)
    {
        final long[] locations = this.locations;
        final long slot = step - forkStep;
        return slot >= 0 && slot < locations.length ? locations[(int)slot] : NO_LOCATION;
    }

    /**
     * Resolves a step of this branch through its ancestors.
     *
     * @return the journal index of the event this branch has at {@code step}, or {@link #NO_LOCATION}.
     */
    long locate(final long step)
    {
        BranchState branch = this;
        while (step < branch.forkStep)
        {
            branch = branch.parent;
        }
        return branch.ownLocation(step);
    }

    /**
     * @return the branch whose own event is at {@code step} of this branch.
     */
    BranchState owner(final long step)
    {
        BranchState branch = this;
        while (step < branch.forkStep)
        {
            branch = branch.parent;
        }
        return branch;
    }
}
