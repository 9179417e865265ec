package dev.forkline.kernel;

import org.agrona.DirectBuffer;

/**
 * Follows the batches of a journal read in order, for a reader that must not count the events of a batch before
 * its commit record (the rules are in {@link BatchRecordDescriptor}). The reader passes it every batch record and
 * the flags of every sound event; it says which events are the open batch's, and when that batch commits or is
 * rolled back. What the reader does with a batch's events meanwhile (stage them, skip them and read them again,
 * count them aside) is the reader's: the tracker holds no event, only counts, so it costs the same for a batch of
 * ten events or of ten million.
 * <p>
 * Threading: the thread of its reader.
 */
final class BatchTracker
{
    /** The record changes nothing: not a batch record, the begin of a batch, or the end of a batch that is not open. */
    static final int NONE = 0;
    /** The open batch committed: its events count from here on. */
    static final int COMMITTED = 1;
    /** The open batch is rolled back: its events never count. */
    static final int ROLLED_BACK = 2;
    /** A batch record that fails its checks: {@link #problem()} says why. The open batch stays open. */
    static final int DAMAGED = 3;

    private boolean open;
    private long id;
    private long events;
    private long firstIndex;
    private long ordinal = -1;

    private long endedId;
    private long endedEvents;
    private long endedFirstIndex;
    private long endedOrdinal;
    private String problem;

    /**
     * @param record a metadata excerpt of {@code length} bytes.
     * @return {@link #NONE}, {@link #COMMITTED}, {@link #ROLLED_BACK} or {@link #DAMAGED}; after the two in the
     * middle, {@link #endedEvents()} and the other {@code ended} accessors describe the batch that ended.
     */
    int record(final DirectBuffer record, final int length)
    {
        if (!BatchRecordDescriptor.isBatchRecord(record, length))
        {
            return NONE;
        }
        problem = BatchRecordDescriptor.validate(record, length);
        if (problem != null)
        {
            return DAMAGED;
        }
        final long batchId = BatchRecordDescriptor.batchId(record);
        final short type = BatchRecordDescriptor.type(record);
        if (type == BatchRecordDescriptor.BEGIN)
        {
            final int result = open ? end(ROLLED_BACK) : NONE; // the batch before was left open by a writer that died
            begin(batchId);
            return result;
        }
        if (!open)
        {
            return NONE; // the end of a batch that began before where reading started, or whose events were all damaged
        }
        final boolean sameBatch = id == BatchRecordDescriptor.UNKNOWN_ID || id == batchId;
        return end(type == BatchRecordDescriptor.COMMIT && sameBatch ? COMMITTED : ROLLED_BACK);
    }

    /**
     * @param flags the flags of a sound event.
     * @param index its journal index.
     * @return true when the event is the open batch's (a batch is opened for it when none is: its begin record was
     * not read).
     */
    boolean event(final int flags, final long index)
    {
        if ((flags & BatchRecordDescriptor.EVENT_FLAG) == 0)
        {
            return false;
        }
        if (!open)
        {
            begin(BatchRecordDescriptor.UNKNOWN_ID);
        }
        if (events++ == 0)
        {
            firstIndex = index;
        }
        return true;
    }

    /**
     * Ends the open batch as rolled back: the journal ended and the writer that wrote it is gone.
     *
     * @return true when a batch was open.
     */
    boolean rollBack()
    {
        if (!open)
        {
            return false;
        }
        end(ROLLED_BACK);
        return true;
    }

    /**
     * Forgets the open batch, for a reader that moves to another place in the journal.
     */
    void reset()
    {
        open = false;
        events = 0;
    }

    private void begin(final long batchId)
    {
        open = true;
        id = batchId;
        events = 0;
        firstIndex = BranchState.NO_LOCATION;
        ordinal++;
    }

    private int end(final int outcome)
    {
        endedId = id;
        endedEvents = events;
        endedFirstIndex = firstIndex;
        endedOrdinal = ordinal;
        open = false;
        events = 0;
        return outcome;
    }

    boolean isOpen()
    {
        return open;
    }

    /** @return the open batch's id, or {@link BatchRecordDescriptor#UNKNOWN_ID} when its begin record was not read. */
    long id()
    {
        return id;
    }

    /** @return the sound events of the open batch read so far. */
    long events()
    {
        return events;
    }

    /** @return the journal index of the open batch's first event, or {@link BranchState#NO_LOCATION} before it. */
    long firstIndex()
    {
        return firstIndex;
    }

    /** @return the number of the open batch in the order batches were read, from 0. */
    long ordinal()
    {
        return ordinal;
    }

    long endedId()
    {
        return endedId;
    }

    long endedEvents()
    {
        return endedEvents;
    }

    long endedFirstIndex()
    {
        return endedFirstIndex;
    }

    long endedOrdinal()
    {
        return endedOrdinal;
    }

    /** @return after {@link #DAMAGED}: what is wrong with the record. */
    String problem()
    {
        return problem;
    }
}
