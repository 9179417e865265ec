package dev.forkline.kernel;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.RollingChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads every record of the journal in the order it was written, across all sessions and branches: for
 * following a store that another process is writing ({@code forkline tail -f}), verifying it, or
 * exporting it in journal order. {@link #toLast(long)} starts it near the end instead, for the latest records.
 * <p>
 * Unlike {@link EventCursor} it does not stop at a damaged record: {@link #problem()} says what is wrong
 * with it, and {@link #event()} must not be used for it.
 * <p>
 * The events of a {@link Batch} are returned when the cursor reaches the batch's commit record, all of them then, in
 * the order they were written; never when the batch did not commit. So events appended outside a batch while it was
 * open come before the batch's, and a batch still open is not returned until it commits.
 * <p>
 * Threading: a cursor belongs to the thread that opened it. Close it when done.
 */
public final class JournalCursor implements AutoCloseable
{
    private final Store store;
    private final BranchTable branches;
    private final ExcerptTailer tailer;
    private final EventView view;
    private final UnsafeBuffer metadata = new UnsafeBuffer(0, 0);
    private final JournalBounds bounds = new JournalBounds();
    private final BatchTracker batches = new BatchTracker();
    private ExcerptTailer replay; // reads a committed batch's events again, from its first
    private long replayLeft;
    private ExcerptTailer reading; // the tailer of the current record
    private DocumentContext current;
    private String problem;
    private long fileOffset;
    private boolean cut;

    // what verify reports of batches that did not commit, only when asked for
    private List<VerifyReport.UncommittedBatch> uncommitted;
    private final Set<String> batchSessions = new LinkedHashSet<>(); // the first of them
    private final Set<String> batchCommittedSessions = new HashSet<>(); // committed sessions the batch appends to
    private long batchSessionCount;
    private final Map<Integer, String> batchBranches = new HashMap<>(); // branches the batch creates

    JournalCursor(final Store store, final ExcerptTailer tailer, final BranchTable branches)
    {
        this.store = store;
        this.branches = branches;
        this.tailer = tailer;
        this.reading = tailer;
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
        while (!cut)
        {
            if (replayLeft > 0 && nextOfBatch())
            {
                return true;
            }
            try
            {
                final DocumentContext dc = tailer.readingDocument(true);
                if (!dc.isPresent())
                {
                    dc.close();
                    return false;
                }
                if (dc.isMetaData())
                {
                    if (batchRecord(dc))
                    {
                        return true;
                    }
                    continue;
                }
                current = dc;
                reading = tailer;
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
            if (problem == null && batches.event(view.storedFlags(), view.journalIndex()))
            {
                noteBatchEvent();
                release(); // returned when its batch commits
                continue;
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
        return false;
    }

    /**
     * Follows a batch record; other metadata (seals, Chronicle's own) is passed over.
     *
     * @return true when the record is returned, as a damaged one.
     */
    private boolean batchRecord(final DocumentContext dc)
    {
        final int length = Journal.wrap(metadata, dc, bounds);
        final int outcome = length < 0 ? BatchTracker.NONE : batches.record(metadata, length);
        if (outcome == BatchTracker.DAMAGED)
        {
            current = dc;
            reading = tailer;
            fileOffset = dc.wire().bytes().readPosition();
            view.clear(dc.index());
            problem = "damaged batch record: " + batches.problem();
            return true;
        }
        dc.close();
        if (outcome == BatchTracker.COMMITTED)
        {
            store.awaitBatchEnd(batches.endedId());
            replayLeft = batches.endedEvents();
            if (replayLeft > 0)
            {
                if (replay == null)
                {
                    replay = store.tailer();
                }
                if (!replay.moveToIndex(batches.endedFirstIndex()))
                {
                    replayLeft = 0;
                }
            }
            batchEnded(false);
        }
        else if (outcome == BatchTracker.ROLLED_BACK)
        {
            batchEnded(true);
        }
        return false;
    }

    /**
     * Moves to the next event of the committed batch being returned.
     *
     * @return false when there is none left.
     */
    private boolean nextOfBatch()
    {
        try
        {
            while (replayLeft > 0)
            {
                final DocumentContext dc = replay.readingDocument();
                if (!dc.isPresent())
                {
                    dc.close();
                    break;
                }
                final String damage = view.wrap(dc, dc.index());
                if (damage != null || (view.storedFlags() & BatchRecordDescriptor.EVENT_FLAG) == 0)
                {
                    dc.close(); // returned already, in its place
                    continue;
                }
                current = dc;
                reading = replay;
                fileOffset = dc.wire().bytes().readPosition();
                problem = null;
                replayLeft--;
                if (view.branch() == null)
                {
                    store.refresh();
                    if (view.branch() == null)
                    {
                        problem = "event of branch id " + view.branchId() + ", which no session.start or fork created";
                    }
                }
                return true;
            }
        }
        catch (final InternalError fault)
        {
            current = null;
        }
        replayLeft = 0;
        return false;
    }

    /**
     * For verify: from now on, keeps what it passes of each batch that does not commit.
     */
    void reportUncommitted()
    {
        uncommitted = new ArrayList<>();
    }

    /**
     * @return the batches passed that did not commit, then the one still open at the end of the journal, if any
     * (as {@code open}; whether its writer is still there is the caller's to say).
     */
    List<VerifyReport.UncommittedBatch> uncommitted(final boolean openStillWritten)
    {
        final List<VerifyReport.UncommittedBatch> all = new ArrayList<>(uncommitted);
        if (batches.isOpen() && batches.events() > 0)
        {
            all.add(new VerifyReport.UncommittedBatch(batches.firstIndex(), batches.events(), List.copyOf(batchSessions),
                batchSessionCount, openStillWritten));
        }
        return all;
    }

    private void noteBatchEvent()
    {
        if (uncommitted == null)
        {
            return;
        }
        final int branchId = view.branchId();
        final EventKind kind = view.kind();
        String session = null;
        if (kind == EventKind.SESSION_START || kind == EventKind.FORK)
        {
            final String name = view.key();
            session = name.indexOf('/') < 0 ? name : name.substring(0, name.indexOf('/'));
            batchBranches.put(branchId, session);
            if (kind == EventKind.SESSION_START)
            {
                batchSessionCount++;
            }
        }
        else if (!batchBranches.containsKey(branchId))
        {
            final BranchState committed = branches.byId(branchId);
            if (committed != null && batchCommittedSessions.add(committed.session))
            {
                session = committed.session;
                batchSessionCount++;
            }
        }
        if (session != null && batchSessions.size() < VerifyReport.MAX_LISTED)
        {
            batchSessions.add(session);
        }
    }

    private void batchEnded(final boolean rolledBack)
    {
        if (uncommitted == null)
        {
            return;
        }
        if (rolledBack && batches.endedEvents() > 0 && uncommitted.size() < VerifyReport.MAX_LISTED)
        {
            uncommitted.add(new VerifyReport.UncommittedBatch(batches.endedFirstIndex(), batches.endedEvents(),
                List.copyOf(batchSessions), batchSessionCount, false));
        }
        clearBatchSessions();
    }

    private void clearBatchSessions()
    {
        batchSessions.clear();
        batchCommittedSessions.clear();
        batchBranches.clear();
        batchSessionCount = 0;
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
        final java.io.File file = reading.currentFile();
        return file == null ? null : file.toPath();
    }

    /**
     * @return the byte offset of the current record in its journal file.
     */
    public long fileOffset()
    {
        return fileOffset;
    }

    private void forgetBatch()
    {
        batches.reset();
        replayLeft = 0;
        clearBatchSessions();
    }

    /**
     * Moves back from the end of the journal so that {@link #next()} returns its last {@code records} records in the
     * order they were written, then those written from now on. Damaged records count as
     * records; seal records (Chronicle metadata, which {@link #next()} never returns) do not. Nor do the events of batches
     * that did not commit, which count but are not returned.
     * <p>
     * The records passed over are not read: Chronicle numbers the data excerpts of each journal file (one a day)
     * from 0 and indexes them, so the cursor counts back by each file's excerpt count and moves to the record it
     * needs by index. The cost grows with the number of journal files it goes back into, not with the number of
     * records.
     *
     * @param records how many records to go back; 0 skips to the end, so that {@link #next()} returns only
     *                records written from now on.
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
        forgetBatch();
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
        if (replay != null)
        {
            replay.close();
        }
    }
}
