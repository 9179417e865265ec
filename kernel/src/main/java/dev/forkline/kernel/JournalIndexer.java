package dev.forkline.kernel;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

import static dev.forkline.kernel.EventHeaderDescriptor.HEADER_LENGTH;

/**
 * Rebuilds the branch table and event locations from the journal: all of it when a store is opened
 * without an index snapshot, the part after the snapshot otherwise, and, in a read-only store, whatever
 * a writing process appended since the last look.
 * <p>
 * The events of a batch ({@link BatchRecordDescriptor}) are indexed where no reader looks (a branch the batch created
 * is pending in the {@link BranchTable}, a committed branch stages them) and published when the batch's commit
 * record is read; a batch that is rolled back is dropped. A batch still open at the end of the journal stays so:
 * a read-only store publishes it when its commit comes, a writing store rolls it back at open
 * ({@link #rollBackOpenBatch()}).
 * <p>
 * Threading: {@link #catchUp()} is synchronised; the tailer is re-bound to whichever thread calls it.
 */
final class JournalIndexer implements AutoCloseable
{
    private static final int MAX_REPORTED = 100;

    private final BranchTable branches;
    private final ExcerptTailer tailer;
    private final UnsafeBuffer record = new UnsafeBuffer(0, 0);
    private final EventHeader header = new EventHeader();
    private final List<String> problems = new ArrayList<>();
    private long events;
    private long indexedThisRun;
    private long skipped;
    private long lastLocation = BranchState.NO_LOCATION;
    private int lastChecksum;
    private long sealedUpTo = BranchState.NO_LOCATION;
    private final byte[] link = new byte[ChainSealDescriptor.HASH_LENGTH];
    private final JournalBounds bounds = new JournalBounds();
    private boolean cut;
    private final BatchTracker batches = new BatchTracker();
    private final List<BranchState> staged = new ArrayList<>();
    private int batchIndexed;

    JournalIndexer(final Journal journal, final BranchTable branches)
    {
        this.branches = branches;
        this.tailer = journal.createTailer();
    }

    /**
     * Positions the indexer after {@code location}, the last event an index snapshot covers, if the journal
     * holds there the event whose checksum field is {@code checksum}.
     *
     * @return false when it does not (the snapshot belongs to another journal); the indexer is then at the start.
     */
    synchronized boolean startAfter(final long location, final int checksum, final long eventsBefore)
    {
        tailer.singleThreadedCheckReset();
        boolean found = false;
        try
        {
            if (tailer.moveToIndex(location))
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (dc.isPresent() && dc.index() == location)
                    {
                        final Bytes<?> bytes = dc.wire().bytes();
                        found = bytes.readRemaining() >= HEADER_LENGTH && bounds.contains(dc, HEADER_LENGTH) &&
                            bytes.readInt(bytes.readPosition()) == checksum;
                    }
                }
            }
        }
        catch (final InternalError fault)
        {
            found = false; // the mark lies in a part of the journal that was cut off: scan what is left
        }
        if (found)
        {
            lastLocation = location;
            lastChecksum = checksum;
            events = eventsBefore;
        }
        else
        {
            tailer.toStart();
        }
        return found;
    }

    /**
     * @return events indexed from the journal by this indexer (not loaded from a snapshot).
     */
    synchronized long indexedThisRun()
    {
        return indexedThisRun;
    }

    BranchTable branches()
    {
        return branches;
    }

    /**
     * @return the journal index of the last event indexed, or {@link BranchState#NO_LOCATION}.
     */
    synchronized long lastLocation()
    {
        return lastLocation;
    }

    /**
     * @return the checksum field of the last event indexed.
     */
    synchronized int lastChecksum()
    {
        return lastChecksum;
    }

    /**
     * Indexes every event appended after the last one seen.
     *
     * @return the number of events indexed.
     */
    synchronized int catchUp()
    {
        tailer.singleThreadedCheckReset();
        int count = 0;
        while (!cut)
        {
            try
            {
                try (DocumentContext dc = tailer.readingDocument(true))
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final int length = Journal.wrap(record, dc, bounds);
                    if (length < 0)
                    {
                        skip(dc.index(), bounds.problem());
                        cut = true;
                        break;
                    }
                    if (dc.isMetaData())
                    {
                        if (BatchRecordDescriptor.isBatchRecord(record, length))
                        {
                            count += batchRecord(dc.index(), length);
                        }
                        else
                        {
                            indexSeal(length);
                        }
                        continue;
                    }
                    header.wrap(record, 0);
                    final String problem = header.validate(length);
                    if (problem != null)
                    {
                        skip(dc.index(), problem);
                        continue;
                    }
                    final boolean inBatch = batches.event(header.flags(), dc.index());
                    if (index(dc.index(), inBatch))
                    {
                        count += inBatch ? 0 : 1; // a batch's events count at its commit
                        lastLocation = dc.index();
                        lastChecksum = header.checksum();
                    }
                }
            }
            catch (final InternalError fault)
            {
                skip(lastLocation, JournalBounds.fault(fault));
                cut = true;
            }
        }
        events += count;
        indexedThisRun += count;
        return count;
    }

    /**
     * Follows the begin, commit or abort of a batch.
     *
     * @return the number of events it made readable.
     */
    private int batchRecord(final long index, final int length)
    {
        final int outcome = batches.record(record, length);
        if (outcome == BatchTracker.DAMAGED)
        {
            skip(index, batches.problem());
        }
        else if (outcome == BatchTracker.COMMITTED)
        {
            branches.publishPending();
            for (final BranchState branch : staged)
            {
                branch.publishStaged();
                branch.nextStep = Math.max(branch.nextStep, branch.length());
            }
            staged.clear();
            final int published = batchIndexed;
            batchIndexed = 0;
            return published;
        }
        else if (outcome == BatchTracker.ROLLED_BACK)
        {
            dropBatch();
        }
        return 0;
    }

    private void dropBatch()
    {
        branches.dropPending();
        for (final BranchState branch : staged)
        {
            branch.discardStaged();
        }
        staged.clear();
        batchIndexed = 0;
    }

    /**
     * @return true when a batch is open at the end of what was read: its writer is still writing it, or died.
     */
    synchronized boolean batchOpen()
    {
        return batches.isOpen();
    }

    /**
     * @return the id of the open batch ({@link BatchRecordDescriptor#UNKNOWN_ID} when its begin was not read).
     */
    synchronized long openBatchId()
    {
        return batches.id();
    }

    /**
     * @return the events of the open batch read so far.
     */
    synchronized long openBatchEvents()
    {
        return batches.events();
    }

    /**
     * For a writing store, at open: the open batch was left by a writer that died; it will never commit.
     */
    synchronized void rollBackOpenBatch()
    {
        if (batches.rollBack())
        {
            dropBatch();
        }
    }

    private BranchState anyById(final int id)
    {
        final BranchState committed = branches.byId(id);
        return committed != null ? committed : branches.pending(id);
    }

    /**
     * Takes the chain values of a seal record as the heads of their branches; other metadata is Chronicle's own.
     */
    private void indexSeal(final int length)
    {
        final int count = ChainSealDescriptor.entryCount(record, length);
        if (count <= 0 || ChainSealDescriptor.entryLocation(record, count - 1) <= sealedUpTo)
        {
            return; // entries are in journal order: a seal whose last entry is known covers nothing new
        }
        for (int i = 0; i < count; i++)
        {
            final long location = ChainSealDescriptor.entryLocation(record, i);
            final BranchState branch = branches.byId(ChainSealDescriptor.entryBranchId(record, i));
            if (branch != null && location > sealedUpTo)
            {
                ChainSealDescriptor.entryChain(record, i, link);
                branch.chainHead(link);
                sealedUpTo = location;
            }
        }
    }

    /**
     * @return the location of the last event a seal covers, or {@link BranchState#NO_LOCATION}.
     */
    synchronized long sealedUpTo()
    {
        return sealedUpTo;
    }

    /**
     * Sets the sealed mark loaded from a snapshot.
     */
    synchronized void sealedUpTo(final long location)
    {
        sealedUpTo = location;
    }

    /**
     * @param inBatch true for an event of the open batch: it is indexed where no reader looks until the batch commits
     *                (a branch the batch creates is pending, a committed branch stages it).
     * @return false when the event was skipped as damaged.
     */
    private boolean index(final long location, final boolean inBatch)
    {
        final EventKind kind = EventKind.fromCode(header.kindCode());
        final int branchId = header.branchId();
        final long step = header.step();
        if (header.keyLength() > 0 && (kind == EventKind.SESSION_START || kind == EventKind.FORK))
        {
            final String name = record.getStringWithoutLengthUtf8(HEADER_LENGTH, header.keyLength());
            final int parentId = header.parentBranchId();
            final BranchState parent = kind != EventKind.FORK ? null : inBatch ? anyById(parentId) : branches.byId(parentId);
            if (kind == EventKind.FORK && parent == null)
            {
                skip(location, "fork of branch id " + parentId + " which the journal does not hold");
                return false;
            }
            if ((inBatch ? anyById(branchId) : branches.byId(branchId)) == null &&
                branches.restore(branchId, name, parent, step, inBatch) == null)
            {
                skip(location, "branch '" + name + "' (id " + branchId + ") is created twice");
                return false;
            }
        }
        final BranchState committed = branches.byId(branchId);
        final BranchState branch = committed != null || !inBatch ? committed : branches.pending(branchId);
        if (branch == null || step < branch.forkStep)
        {
            skip(location, "event of branch id " + branchId + " step " + step + " has no branch to belong to");
            return false;
        }
        if (inBatch)
        {
            batchIndexed++;
            if (committed != null)
            {
                if (committed.stageEvent(step, location, kind, header.timestampNanos()))
                {
                    staged.add(committed);
                }
                return true;
            }
        }
        branch.indexEvent(step, location, kind, header.timestampNanos());
        if (kind != EventKind.FORK && step + 1 > branch.nextStep)
        {
            branch.nextStep = step + 1;
        }
        return true;
    }

    private void skip(final long location, final String problem)
    {
        skipped++;
        if (problems.size() < MAX_REPORTED)
        {
            problems.add("journal index 0x" + Long.toHexString(location) + ": " + problem);
        }
    }

    /**
     * @return the number of events indexed so far.
     */
    synchronized long events()
    {
        return events;
    }

    /**
     * @return the number of journal records that were not indexed because they are damaged.
     */
    synchronized long skipped()
    {
        return skipped;
    }

    /**
     * @return what was wrong with the first records that were skipped.
     */
    synchronized List<String> problems()
    {
        return List.copyOf(problems);
    }

    @Override
    public synchronized void close()
    {
        tailer.singleThreadedCheckReset();
        tailer.close();
    }
}
