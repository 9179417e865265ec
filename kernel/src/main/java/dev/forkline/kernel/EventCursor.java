package dev.forkline.kernel;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads a branch in step order, shared prefix first, with zero-copy access to each event through
 * {@link #event()}. Also follows a branch that is still growing: {@link #next()} returns false at the
 * current end, and true again once more events have been appended.
 * <p>
 * Threading: one thread at a time; a cursor may move between threads when the hand-off is ordered (one thread's
 * last call happens-before the next thread's first, as through a lock, a queue or {@code Future.get()}). Close it
 * when done.
 * <pre>{@code
 * try (EventCursor cursor = store.read("task-42")) {
 *     while (cursor.next()) {
 *         EventView e = cursor.event();
 *         System.out.println(e.step() + " " + e.kind() + " " + e.payloadAsString());
 *     }
 * }
 * }</pre>
 */
public final class EventCursor implements AutoCloseable
{
    private final Store store;
    private final BranchState branch;
    private final ExcerptTailer tailer;
    private final EventView view;
    private final long endStep;
    private DocumentContext current;
    private long nextStep;
    private Thread reader;

    EventCursor(final Store store, final BranchState branch, final ExcerptTailer tailer, final BranchTable branches,
        final long fromStep, final long endStep)
    {
        this.store = store;
        this.branch = branch;
        this.tailer = tailer;
        this.view = new EventView(branches);
        this.nextStep = fromStep;
        this.endStep = endStep;
    }

    /**
     * Moves to the next step of the branch.
     *
     * @return false at the end of the branch (as far as it is written now).
     * @throws ForklineException {@code CORRUPT_EVENT} when the next event fails its checksum or is missing.
     */
    public boolean next()
    {
        claim();
        release();
        final long step = nextStep;
        if (step >= endStep)
        {
            return false;
        }
        final BranchState owner = branch.owner(step);
        if (step >= owner.length() && !store.awaitStep(owner, step))
        {
            return false;
        }
        final long location = owner.ownLocation(step);
        if (location == BranchState.NO_LOCATION)
        {
            throw corrupt(step, location, "event is missing from the journal (a damaged record was skipped)");
        }
        final String problem;
        try
        {
            if (tailer.index() != location && !tailer.moveToIndex(location))
            {
                throw corrupt(step, location, "journal has no record at this index");
            }
            final DocumentContext dc = tailer.readingDocument();
            if (!dc.isPresent())
            {
                dc.close();
                throw corrupt(step, location, "journal record cannot be read");
            }
            current = dc;
            final String damage = view.wrap(dc, location);
            problem = damage != null ? damage : view.expect(owner, step);
        }
        catch (final InternalError fault)
        {
            current = null;
            throw corrupt(step, location, JournalBounds.fault(fault));
        }
        if (problem != null)
        {
            release();
            throw corrupt(step, location, problem);
        }
        nextStep = step + 1;
        return true;
    }

    /**
     * @return the current event; valid until the next call to {@link #next()} or {@link #close()}.
     */
    public EventView event()
    {
        return view;
    }

    /**
     * @return the step {@link #next()} reads next.
     */
    public long nextStep()
    {
        return nextStep;
    }

    /**
     * @return the branch being read.
     */
    public String branch()
    {
        return branch.name;
    }

    private ForklineException corrupt(final long step, final long location, final String problem)
    {
        final String where = location == BranchState.NO_LOCATION ? "" : " (journal index 0x" + Long.toHexString(location) + ")";
        return new ForklineException(ForklineException.Reason.CORRUPT_EVENT,
            "corrupt event " + branch.name + "@" + step + where + ": " + problem);
    }

    /**
     * Chronicle's tailer checks that it is used by the thread that first used it; a cursor moves between threads
     * (the caller orders the hand-off), so the check starts over on each new thread. Within a thread it stays on.
     */
    private void claim()
    {
        final Thread thread = Thread.currentThread();
        if (thread != reader)
        {
            tailer.singleThreadedCheckReset();
            reader = thread;
        }
    }

    private void release()
    {
        if (current != null)
        {
            current.close();
            current = null;
        }
    }

    @Override
    public void close()
    {
        claim();
        release();
        tailer.close();
    }
}
