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

    ChainSealer(final Journal journal, final BranchTable branches, final long sealedUpTo)
    {
        this.branches = branches;
        this.tailer = journal.createTailer();
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
        while (!cut && count < MAX_ENTRIES && (ring == null || ring.size() == 0))
        {
            try (DocumentContext dc = tailer.readingDocument())
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
                header.wrap(record, 0);
                final BranchState branch = header.validate(length) == null ? branches.byId(header.branchId()) : null;
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

    @Override
    public void close()
    {
        tailer.close();
    }
}
