package dev.forkline.kernel;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.RollingChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.text.ParseException;

/**
 * Reads every record of the journal in the order it was written, across all sessions and branches: for
 * following a store that another process is writing ({@code forkline tail -f}), verifying it, or
 * exporting it in journal order. {@link #toLast(long)} starts it near the end instead, for the latest records.
 * <p>
 * Unlike {@link EventCursor} it does not stop at a damaged record: {@link #problem()} says what is wrong
 * with it, and {@link #event()} must not be used for it.
 * <p>
 * Threading: a cursor belongs to the thread that opened it. Close it when done.
 */
public final class JournalCursor implements AutoCloseable
{
    private final Store store;
    private final ExcerptTailer tailer;
    private final EventView view;
    private DocumentContext current;
    private String problem;
    private long fileOffset;
    private boolean cut;

    JournalCursor(final Store store, final ExcerptTailer tailer, final BranchTable branches)
    {
        this.store = store;
        this.tailer = tailer;
        this.view = new EventView(branches);
    }

    /**
     * Moves to the next record.
     *
     * @return false when there is none (yet); a later call returns true once more has been written.
     */
    public boolean next()
    {
        release();
        if (cut)
        {
            return false;
        }
        try
        {
            final DocumentContext dc = tailer.readingDocument();
            if (!dc.isPresent())
            {
                dc.close();
                return false;
            }
            current = dc;
            fileOffset = dc.wire().bytes().readPosition();
            problem = view.wrap(dc, dc.index());
        }
        catch (final InternalError fault)
        {
            current = null;
            cut = true; // nothing after a cut can be read
            problem = JournalBounds.fault(fault);
            return true;
        }
        if (problem != null && problem.endsWith("the journal file was cut short"))
        {
            cut = true;
            return true;
        }
        if (problem == null && view.branch() == null)
        {
            store.refresh(); // a branch created since this store was indexed
            if (view.branch() == null)
            {
                problem = "event of branch id " + view.branchId() + ", which no session.start or fork created";
            }
        }
        return true;
    }

    /**
     * @return null when the current record is a sound event, else what is wrong with it.
     */
    public String problem()
    {
        return problem;
    }

    /**
     * @return the current event, when {@link #problem()} is null; valid until the next call to {@link #next()}.
     */
    public EventView event()
    {
        return view;
    }

    /**
     * @return the journal index of the current record.
     */
    public long journalIndex()
    {
        return view.journalIndex();
    }

    /**
     * @return the journal file that holds the current record.
     */
    public java.nio.file.Path file()
    {
        final java.io.File file = tailer.currentFile();
        return file == null ? null : file.toPath();
    }

    /**
     * @return the byte offset of the current record in its journal file.
     */
    public long fileOffset()
    {
        return fileOffset;
    }

    /**
     * Skips to the end of the journal: {@link #next()} then returns only records written from now on.
     *
     * @return this.
     */
    public JournalCursor toEnd()
    {
        release();
        tailer.toEnd();
        return this;
    }

    /**
     * Moves back from the end of the journal so that {@link #next()} returns its last {@code records} records in the
     * order they were written, then, as after {@link #toEnd()}, those written from now on. Damaged records count as
     * records; seal records (Chronicle metadata, which {@link #next()} never returns) do not.
     * <p>
     * The records passed over are not read: Chronicle numbers the data excerpts of each journal file (one a day)
     * from 0 and indexes them, so the cursor counts back by each file's excerpt count and moves to the record it
     * needs by index. The cost grows with the number of journal files it goes back into, not with the number of
     * records.
     *
     * @param records how many records to go back; 0 does what {@link #toEnd()} does.
     * @return true when the cursor went back {@code records} records; false when the journal holds fewer (or could
     * not be counted back, as in a journal file that was cut short): the cursor is then at the start.
     * @throws IllegalArgumentException when {@code records} is negative.
     */
    public boolean toLast(final long records)
    {
        if (records < 0)
        {
            throw new IllegalArgumentException("records must not be negative: " + records);
        }
        release();
        cut = false;
        if (records == 0)
        {
            tailer.toEnd();
            return true;
        }
        try
        {
            // Journal opens a single Chronicle queue, which is a rolling one: it can list its cycles
            final RollingChronicleQueue queue = (RollingChronicleQueue)tailer.queue();
            final RollCycle rollCycle = queue.rollCycle();
            long remaining = records;
            for (int cycle = queue.lastCycle(); cycle >= 0; cycle = queue.nextCycle(cycle, TailerDirection.BACKWARD))
            {
                final long count = tailer.excerptsInCycle(cycle); // data excerpts only, -1 when the file is gone
                if (count >= remaining)
                {
                    if (tailer.moveToIndex(rollCycle.toIndex(cycle, count - remaining)))
                    {
                        return true;
                    }
                    break;
                }
                remaining -= Math.max(count, 0);
            }
        }
        catch (final ParseException | InternalError ex)
        {
            // a journal file name that is not a day, or a file cut short (reading past its end faults): read from
            // the start, where next() reports the cut
        }
        tailer.toStart();
        return false;
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
        release();
        tailer.close();
    }
}
