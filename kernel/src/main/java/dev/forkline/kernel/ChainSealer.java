package dev.forkline.kernel;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static dev.forkline.kernel.ChainSealDescriptor.*;

/**
 * Extends each branch's hash chain over the events the journal thread wrote, and writes the chain values
 * into seal records (see {@link ChainSealDescriptor}).
 * <p>
 * Design note: SHA-256 costs about 2 microseconds a KiB here, more than writing the event. So sealing runs on
 * the journal thread only while the append ring is empty, a batch at a time, and gives way as soon as an
 * event arrives; under sustained load seals lag behind and catch up in the next pause. Closing the store seals
 * for at most half a second more; what is left then is sealed by the next writer. Appends never wait for it.
 * <p>
 * The events of a batch are sealed only if it commits, in their place in the journal, once it has ended: the sealer
 * stops at the first event of the batch this writer has open, and learns from the journal thread how it ended (or,
 * for a batch of an earlier writer, by reading ahead to the batch's end). A batch that did not commit is passed over.
 * <p>
 * Threading: journal thread only.
 */
final class ChainSealer implements AutoCloseable
{
    private static final int MAX_ENTRIES = 128;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final BranchTable branches;
    private final ExcerptTailer tailer;
    private final ChainHash hash = new ChainHash();
    private final UnsafeBuffer record = new UnsafeBuffer(0, 0);
    private final EventHeader header = new EventHeader();
    private final UnsafeBuffer seal = new UnsafeBuffer(ByteBuffer.allocateDirect(ChainSealDescriptor.length(MAX_ENTRIES)));
    private final byte[] link = new byte[HASH_LENGTH];
    private final JournalBounds bounds = new JournalBounds();
    private long sealedUpTo;
    private boolean cut;

    private static final int SEAL = 1;
    private static final int SKIP = 2;
    private static final int WAIT = 3;
    private final BatchTracker batches = new BatchTracker();
    private final ExcerptTailer lookAhead;
    private final UnsafeBuffer aheadRecord = new UnsafeBuffer(0, 0);
    private final JournalBounds aheadBounds = new JournalBounds();
    private long decidedBatch = -1; // ordinal of the batch the decision is for
    private int decision;
    private long openFrom = BranchState.NO_LOCATION; // first event of the batch this writer has open
    private long endedFrom = BranchState.NO_LOCATION; // first event of the last batch this writer ended
    private boolean endedCommitted;

    ChainSealer(final Journal journal, final BranchTable branches, final long sealedUpTo)
    {
        this.branches = branches;
        this.tailer = journal.createTailer();
        this.lookAhead = journal.createTailer();
        this.sealedUpTo = sealedUpTo;
        if (sealedUpTo != BranchState.NO_LOCATION && tailer.moveToIndex(sealedUpTo))
        {
            try (DocumentContext dc = tailer.readingDocument())
            {
                assert dc.isPresent() : "the sealed mark is in the journal";
            }
        }
    }

    /**
     * @return the location of the last event sealed, or {@link BranchState#NO_LOCATION}.
     */
    long sealedUpTo()
    {
        return sealedUpTo;
    }

    /**
     * The journal thread wrote the first event of a batch, at {@code location}.
     */
    void batchOpened(final long location)
    {
        openFrom = location;
    }

    /**
     * The journal thread wrote the end of the batch it had open.
     */
    void batchEnded(final boolean committed)
    {
        endedFrom = openFrom;
        endedCommitted = committed;
        openFrom = BranchState.NO_LOCATION;
    }

    /**
     * Seals a batch of written events, stopping early when the ring has work.
     *
     * @return the number of events sealed.
     */
    int sealSome(final ExcerptAppender appender, final RingBuffer ring)
    {
        try
        {
            return sealBatch(appender, ring);
        }
        catch (final InternalError fault)
        {
            cut = true; // a journal file was cut short under a running writer: seal nothing more in this run
            return 0;
        }
    }

    private int sealBatch(final ExcerptAppender appender, final RingBuffer ring)
    {
        int count = 0;
        long rewindTo = BranchState.NO_LOCATION;
        while (!cut && count < MAX_ENTRIES && (ring == null || ring.size() == 0) && rewindTo == BranchState.NO_LOCATION)
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
                    cut = true; // a cut file: nothing after it can be read, so nothing after it is sealed
                    break;
                }
                if (dc.isMetaData())
                {
                    batches.record(record, length); // a seal, Chronicle's own, or the begin or end of a batch
                    continue;
                }
                header.wrap(record, 0);
                if (header.validate(length) != null)
                {
                    continue; // a damaged record is not sealed: verify reports it
                }
                if (batches.event(header.flags(), dc.index()))
                {
                    if (decidedBatch != batches.ordinal())
                    {
                        decision = decide(dc.index());
                        decidedBatch = decision == WAIT ? -1 : batches.ordinal();
                    }
                    if (decision == WAIT)
                    {
                        rewindTo = dc.index(); // read again once the batch has ended
                        continue;
                    }
                    if (decision == SKIP)
                    {
                        continue;
                    }
                }
                final BranchState branch = branches.byId(header.branchId());
                if (branch == null)
                {
                    continue; // a damaged record is not sealed: verify reports it
                }
                hash.linkRecord(branch.chainHead(), record, 0, length, link);
                branch.chainHead(link);
                final int offset = HEADER_LENGTH + count * ENTRY_LENGTH;
                seal.putLong(offset + ENTRY_LOCATION_OFFSET, dc.index(), ORDER);
                seal.putInt(offset + ENTRY_BRANCH_ID_OFFSET, branch.id, ORDER);
                seal.putBytes(offset + ENTRY_CHAIN_OFFSET, link);
                sealedUpTo = dc.index();
                count++;
            }
        }
        if (rewindTo != BranchState.NO_LOCATION)
        {
            tailer.moveToIndex(rewindTo);
        }
        if (count > 0)
        {
            final int length = ChainSealDescriptor.complete(seal, count);
            try (DocumentContext dc = appender.writingDocument(true))
            {
                dc.wire().bytes().unsafeWrite(seal.addressOffset(), length);
            }
        }
        return count;
    }

    /**
     * @param index an event of the batch the tracker has open.
     * @return whether the batch's events are sealed, passed over, or waited for.
     */
    private int decide(final long index)
    {
        if (openFrom != BranchState.NO_LOCATION && Long.compareUnsigned(index, openFrom) >= 0)
        {
            return WAIT; // the batch this writer has open
        }
        if (endedFrom != BranchState.NO_LOCATION && batches.firstIndex() == endedFrom)
        {
            return endedCommitted ? SEAL : SKIP;
        }
        return commitsLater(index) ? SEAL : SKIP;
    }

    /**
     * Reads ahead from an event of a batch that this writer does not have open: the batch's events count if the first
     * batch record after it is the batch's commit; any other end, or none (its writer is gone), rolls it back.
     */
    private boolean commitsLater(final long index)
    {
        lookAhead.moveToIndex(index);
        while (true)
        {
            try (DocumentContext dc = lookAhead.readingDocument(true))
            {
                if (!dc.isPresent())
                {
                    return false;
                }
                final int length = Journal.wrap(aheadRecord, dc, aheadBounds);
                if (length < 0)
                {
                    return false;
                }
                if (dc.isMetaData() && BatchRecordDescriptor.isBatchRecord(aheadRecord, length) &&
                    BatchRecordDescriptor.validate(aheadRecord, length) == null)
                {
                    final long id = batches.id();
                    return BatchRecordDescriptor.type(aheadRecord) == BatchRecordDescriptor.COMMIT &&
                        (id == BatchRecordDescriptor.UNKNOWN_ID || id == BatchRecordDescriptor.batchId(aheadRecord));
                }
            }
        }
    }

    @Override
    public void close()
    {
        tailer.close();
        lookAhead.close();
    }
}
