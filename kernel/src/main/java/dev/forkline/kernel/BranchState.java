package dev.forkline.kernel;

import java.util.Arrays;
import java.util.List;
import java.util.ArrayList;

/**
 * Everything the store knows about one branch: its place in the fork tree, where each of its own events
 * sits in the journal, and its latest outcome.
 * <p>
 * A branch's own locations come in two parts: the base, the first {@code baseCount} of them, held by the index
 * snapshot the store was opened from and read in place from it ({@link SnapshotBlocks}); and the tail, the ones
 * indexed since, in {@link #locations}. A branch created after the snapshot has no base.
 * <p>
 * Threading: {@link #nextStep} is assigned by appending threads while they hold this object's monitor;
 * {@link #locations}, {@link #length} and the outcome fields are written by exactly one thread (the
 * journal thread of a writing store, or the thread that refreshes a read-only store) and read by any.
 * The writer stores a location, then publishes {@code length} with a volatile write; a reader reads
 * {@code length} first, so every location below it is visible. The base is set before the store is shared,
 * checked once under the lock of its {@link SnapshotBlocks}, and replaced by a heap copy only when it fails its checksum.
 * <p>
 * An open {@link Batch} that appends to a branch committed before it owns the branch ({@link #batch}) until it ends;
 * the index writer stages the batch's events of the branch past the published length and publishes them when the
 * batch commits. A branch the batch created is not in the {@link BranchTable} until then, so it is indexed as usual.
 */
final class BranchState
{
    static final long NO_LOCATION = 0; // journal indexes carry the roll cycle in their high bits: never 0
    private static final long[] NO_LOCATIONS = new long[0];

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

    /** The open batch that appends to this branch, or null; guarded by this object's monitor. */
    Batch batch;

    /** While {@link #batch} is set: the first step the batch appended; the steps from here on are not committed. */
    long batchFirstStep;

    private volatile long[] locations = new long[8];
    private SnapshotBlocks blocks;
    private long blockOffset;
    private long baseCount;
    private volatile boolean baseChecked = true;
    private volatile long[] base; // the base copied to the heap once checked, for reads at array speed
    private volatile long length;
    private volatile long forkEventLocation = NO_LOCATION;
    private volatile long outcomeLocation = NO_LOCATION;
    private volatile long lastTimestampNanos;
    private volatile int forkCount;
    private byte[] chainHead; // written by the single index writer only
    // events of an open batch, indexed but not published (by the single index writer only)
    private boolean staged;
    private long stagedLength;
    private long stagedOutcomeLocation;
    private long stagedTimestampNanos;

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
        storeLocation(step, location);
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
     * Called by the single index writer for an event an open batch appended to this branch, which was committed
     * before the batch: its location is kept, past the published length, where no reader looks until
     * {@link #publishStaged()}.
     *
     * @return true for the first event staged since the last publish or discard.
     */
    boolean stageEvent(final long step, final long location, final EventKind kind, final long timestampNanos)
    {
        final boolean first = !staged;
        if (first)
        {
            staged = true;
            stagedLength = length;
            stagedOutcomeLocation = outcomeLocation;
            stagedTimestampNanos = lastTimestampNanos;
        }
        storeLocation(step, location);
        if (kind == EventKind.OUTCOME)
        {
            stagedOutcomeLocation = location;
        }
        stagedTimestampNanos = timestampNanos;
        stagedLength = Math.max(stagedLength, step + 1);
        return first;
    }

    /**
     * The batch committed: its events of this branch become readable.
     */
    void publishStaged()
    {
        if (staged)
        {
            staged = false;
            outcomeLocation = stagedOutcomeLocation;
            lastTimestampNanos = stagedTimestampNanos;
            length = stagedLength; // volatile write last: publishes the locations stored before it
        }
    }

    /**
     * The batch was rolled back: the locations staged past the length are left to be overwritten.
     */
    void discardStaged()
    {
        staged = false;
    }

    /**
     * @return under this object's monitor: the step after the last committed one (the next step to assign, unless an
     * open batch appends to the branch).
     */
    long committedNextStep()
    {
        return batch == null ? nextStep : batchFirstStep;
    }

    /**
     * Returns once no append to this branch is in progress: an append holds this object's monitor from the check that
     * it may append until its record is published in the ring, so taking and releasing the monitor waits for the one
     * in progress (if any) and orders what the caller wrote before (a volatile {@code closed} flag, say) before every
     * later append's check. A fence would not do: it orders this thread's accesses but waits for no other thread.
     */
    void awaitAppendInProgress()
    {
        synchronized (this)
        {
            // nothing to do in here: acquiring the monitor is the wait, releasing it publishes to the next holder
        }
    }

    private void storeLocation(final long step, final long location)
    {
        final long own = step - forkStep;
        if (own < baseCount)
        {
            // a step the snapshot located comes again (only a damaged journal repeats one): the later record wins
            // as it would in a scan
            loadBase()[(int)own] = location;
        }
        else
        {
            final int slot = (int)(own - baseCount);
            long[] locations = this.locations;
            if (slot >= locations.length)
            {
                locations = Arrays.copyOf(locations, Math.max(Math.max(slot + 1, 8), locations.length * 2));
                this.locations = locations;
            }
            locations[slot] = location;
        }
    }

    /**
     * Sets the index of this branch from a snapshot, before the store is shared with any other thread.
     *
     * @param blocks      the snapshot's location blocks.
     * @param blockOffset where this branch's block starts; it holds {@code length - forkStep} locations.
     */
    void restoreIndex(
        final SnapshotBlocks blocks,
        final long blockOffset,
        final long length,
        final long forkEventLocation,
        final long outcomeLocation,
        final long lastTimestampNanos,
        final int forkCount)
    {
        this.blocks = blocks;
        this.blockOffset = blockOffset;
        this.locations = NO_LOCATIONS; // most restored branches never grow: allocate when one does
        this.baseCount = length - forkStep;
        this.baseChecked = baseCount == 0;
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
     * @return the snapshot blocks the base is read from, or null when the branch has no base.
     */
    SnapshotBlocks blocks()
    {
        return blocks;
    }

    /**
     * @return how many of the branch's own locations the snapshot holds.
     */
    long baseCount()
    {
        return baseCount;
    }

    /**
     * @return where the base starts in the snapshot file.
     */
    long blockOffset()
    {
        return blockOffset;
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
        final long own = step - forkStep;
        if (own < 0)
        {
            return NO_LOCATION;
        }
        if (own < baseCount)
        {
            final long[] base = this.base;
            return (base != null ? base : loadBase())[(int)own];
        }
        final long[] locations = this.locations;
        final long slot = own - baseCount;
        return slot < locations.length ? locations[(int)slot] : NO_LOCATION;
    }

    /**
     * Checks the base against its checksum and copies it to the heap, the first time it is used; a damaged base is
     * rebuilt from the journal.
     */
    private long[] loadBase()
    {
        synchronized (blocks)
        {
            if (base == null)
            {
                base = baseChecked || blocks.check(blockOffset, baseCount) ?
                    blocks.copy(blockOffset, (int)baseCount) : blocks.rebuild(this, (int)baseCount);
                baseChecked = true;
            }
            return base;
        }
    }

    /**
     * For writing the next snapshot: the own location at {@code step}, read in place when the base was never
     * loaded (so that a snapshot of a large store does not copy every branch to the heap), checked all the same.
     */
    long snapshotLocation(final long step)
    {
        final long own = step - forkStep;
        if (own < baseCount && base == null)
        {
            if (!baseChecked)
            {
                synchronized (blocks)
                {
                    if (!baseChecked && base == null)
                    {
                        if (!blocks.check(blockOffset, baseCount))
                        {
                            base = blocks.rebuild(this, (int)baseCount);
                        }
                        baseChecked = true;
                    }
                }
            }
            final long[] base = this.base;
            return base != null ? base[(int)own] : blocks.location(blockOffset, own);
        }
        return ownLocation(step);
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
