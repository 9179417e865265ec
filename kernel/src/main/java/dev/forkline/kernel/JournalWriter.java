package dev.forkline.kernel;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The write path: agent threads copy each event once into a many-to-one ring; one journal thread drains
 * the ring in batches into the Chronicle journal, checksums each event, and updates the index.
 * <p>
 * Design note: the agent thread never touches the journal, so a slow disk, a roll of the journal file or
 * an msync stalls only the journal thread. An agent thread waits only when the ring is full (the journal
 * has fallen a whole ring behind) or when it asks to {@link #commit()}.
 * <p>
 * A {@link Batch}: its events carry {@link BatchRecordDescriptor#EVENT_FLAG}. The journal thread writes the batch's
 * begin record before its first event and indexes the events it writes without publishing them (a branch the batch
 * created is pending in the {@link BranchTable}; a committed branch stages them). The end of the batch comes through
 * the ring like a commit: the journal thread writes the commit or abort record, then publishes or drops what it
 * indexed, so the batch becomes readable in this process only once its commit record is in the journal.
 * <p>
 * Threading: {@link #claim}, {@link #publish}, {@link #commit()}, {@link #beginBatch} and {@link #endBatch} may be
 * called by any thread; {@link #run()} is the journal thread and the only user of the appender.
 */
final class JournalWriter implements Runnable, MessageHandler
{
    static final int MSG_EVENT = 1;
    static final int MSG_COMMIT = 2;
    static final int MSG_BATCH_END = 3;
    private static final int BATCH_LIMIT = 512;
    private static final long SPACE_CHECK_INTERVAL = 1024 * 1024;
    /** How long closing goes on sealing; what is left is sealed by the next writer of the store. */
    private static final long CLOSE_SEAL_BUDGET_NANOS = 500_000_000L;

    private final ManyToOneRingBuffer ring;
    private final Journal journal;
    private final BranchTable branches;
    private final Durability durability;
    private final DiskSpace diskSpace;
    private final EventHeader header = new EventHeader();
    private final AtomicLong tickets = new AtomicLong();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;

    private volatile long doneTicket;
    private volatile boolean stopping;
    private volatile Throwable failure;
    private long pendingTicket;
    private ExcerptAppender appender;
    private long lastLocation = BranchState.NO_LOCATION;
    private int lastChecksum;
    private long eventsWritten;
    private long bytesSinceSpaceCheck = SPACE_CHECK_INTERVAL;
    private final long sealedAtStart;
    private ChainSealer sealer;

    private volatile Batch batch; // the open batch, set before any of its events is in the ring
    // journal thread only: the batch being written
    private final UnsafeBuffer batchRecord = new UnsafeBuffer(ByteBuffer.allocateDirect(BatchRecordDescriptor.LENGTH));
    private final List<BranchState> staged = new ArrayList<>();
    private boolean batchBegun;
    private long batchEvents;
    private long abandonedBatchId = -1;
    private long abandonedBatchEvents;

    JournalWriter(
        final Journal journal,
        final BranchTable branches,
        final Durability durability,
        final int ringCapacity,
        final DiskSpace diskSpace,
        final long sealedUpTo)
    {
        this.sealedAtStart = sealedUpTo;
        this.journal = journal;
        this.branches = branches;
        this.durability = durability;
        this.diskSpace = diskSpace;
        final int length = ringCapacity + RingBufferDescriptor.TRAILER_LENGTH;
        this.ring = new ManyToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(length)));
        this.thread = new Thread(this, "forkline-journal");
        this.thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    MutableDirectBuffer buffer()
    {
        return ring.buffer();
    }

    /**
     * Claims room in the ring for one record of {@code length} bytes, waiting while the ring is full.
     *
     * @return the index in {@link #buffer()} at which to write the record.
     */
    int claim(final int msgTypeId, final int length)
    {
        int index = ring.tryClaim(msgTypeId, length);
        if (index < 0)
        {
            index = claimSlowly(msgTypeId, length);
        }
        return index;
    }

    private int claimSlowly(final int msgTypeId, final int length)
    {
        final IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 100_000);
        int index;
        while ((index = ring.tryClaim(msgTypeId, length)) < 0)
        {
            if (index != RingBuffer.INSUFFICIENT_CAPACITY)
            {
                throw new IllegalStateException("ring refused a record of " + length + " bytes: " + index);
            }
            checkHealthy();
            idle.idle();
        }
        return index;
    }

    void publish(final int index)
    {
        ring.commit(index);
    }

    /**
     * Waits until everything appended before the call, by any thread, is in the journal, and with
     * {@link Durability#SYNC} forced to disk. Commits that arrive together share one msync.
     */
    void commit()
    {
        // A ticket taken after this thread's events are in the ring: any commit record with an equal or later
        // ticket is behind them in the ring, so when the journal thread has handled it, they are written too.
        final long ticket = tickets.incrementAndGet();
        final int index = claim(MSG_COMMIT, Long.BYTES);
        ring.buffer().putLong(index, ticket);
        ring.commit(index);
        await(ticket);
    }

    /**
     * Makes {@code batch} the open batch; its events must not be in the ring before.
     */
    void beginBatch(final Batch batch)
    {
        this.batch = batch;
    }

    /**
     * Ends the open batch, once every append through it is in the ring: waits until its commit (or abort) record is
     * in the journal and the index knows, as {@link #commit()} waits.
     */
    void endBatch(final boolean commit)
    {
        final long ticket = tickets.incrementAndGet();
        final int index = claim(MSG_BATCH_END, Long.BYTES + Integer.BYTES);
        ring.buffer().putLong(index, ticket);
        ring.buffer().putInt(index + Long.BYTES, commit ? 1 : 0);
        ring.commit(index);
        await(ticket);
    }

    /**
     * Before {@link #start()}: a batch that a writer that died left open, whose abort record the journal thread
     * writes first.
     */
    void abortFirst(final long batchId, final long events)
    {
        abandonedBatchId = batchId;
        abandonedBatchEvents = events;
    }

    private void await(final long ticket)
    {
        final IdleStrategy idle = new BackoffIdleStrategy(50, 10, 1_000, 50_000);
        while (doneTicket < ticket)
        {
            checkHealthy();
            if (stopped.getCount() == 0 && doneTicket < ticket)
            {
                throw new ForklineException(ForklineException.Reason.STORE_CLOSED, "store closed during commit");
            }
            idle.idle();
        }
    }

    /**
     * Waits until the journal thread has written and indexed every record published before the call, without
     * forcing anything to disk (that is {@link #commit()}): so that a reader made in this process sees every append
     * that returned before it. Returns at once when the ring is empty.
     */
    void awaitWritten()
    {
        final long published = ring.producerPosition();
        if (ring.consumerPosition() >= published)
        {
            return;
        }
        final IdleStrategy idle = new BackoffIdleStrategy(50, 10, 1_000, 50_000);
        while (ring.consumerPosition() < published && isRunning())
        {
            checkHealthy();
            idle.idle();
        }
        checkHealthy();
    }

    /**
     * @return false once the journal thread has stopped (closed, or failed).
     */
    boolean isRunning()
    {
        return stopped.getCount() > 0;
    }

    void checkHealthy()
    {
        final Throwable failure = this.failure;
        if (failure instanceof ForklineException)
        {
            final ForklineException cause = (ForklineException)failure;
            throw new ForklineException(cause.reason(), cause.getMessage(), cause);
        }
        if (failure != null)
        {
            throw new ForklineException(
                ForklineException.Reason.IO_ERROR, "journal write failed: " + failure.getMessage(), failure);
        }
    }

    /**
     * Asks the journal thread to write what is in the ring and stop, and waits for it.
     */
    void stop()
    {
        stopping = true;
        LockSupport.unpark(thread);
        try
        {
            if (!stopped.await(60, TimeUnit.SECONDS))
            {
                throw new ForklineException(ForklineException.Reason.IO_ERROR, "journal thread did not stop in 60 s");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        checkHealthy();
    }

    /** After {@link #stop()}: the journal index of the last event written, or {@link BranchState#NO_LOCATION}. */
    long lastLocation()
    {
        return lastLocation;
    }

    /** After {@link #stop()}: the checksum of the last event written. */
    int lastChecksum()
    {
        return lastChecksum;
    }

    /** After {@link #stop()}: the location of the last event sealed into the hash chain. */
    long sealedUpTo()
    {
        return sealer == null ? sealedAtStart : sealer.sealedUpTo();
    }

    /** After {@link #stop()}: how many events this writer wrote, those of batches that did not commit left out. */
    long eventsWritten()
    {
        return eventsWritten;
    }

    /**
     * The single-writer rule, checked by {@code assert} where only the journal thread may be: it alone drains the
     * ring, uses the appender and writes the index arrays of a writing store.
     */
    private boolean isJournalThread()
    {
        return Thread.currentThread() == thread;
    }

    @Override
    public void run()
    {
        final IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 200_000);
        try
        {
            appender = journal.createAppender();
            if (abandonedBatchId >= 0)
            {
                writeBatchRecord(BatchRecordDescriptor.ABORT, abandonedBatchId, abandonedBatchEvents);
            }
            sealer = new ChainSealer(journal, branches, sealedAtStart);
            long sealDeadline = Long.MAX_VALUE;
            while (true)
            {
                final int read = ring.read(this, BATCH_LIMIT);
                if (pendingTicket > doneTicket)
                {
                    if (durability == Durability.SYNC)
                    {
                        appender.sync();
                    }
                    doneTicket = pendingTicket;
                }
                if (read == 0)
                {
                    if (stopping && sealDeadline == Long.MAX_VALUE)
                    {
                        sealDeadline = System.nanoTime() + CLOSE_SEAL_BUDGET_NANOS;
                    }
                    if (System.nanoTime() < sealDeadline && sealer.sealSome(appender, ring) > 0)
                    {
                        idle.reset();
                        continue;
                    }
                    if (stopping && ring.size() == 0)
                    {
                        break;
                    }
                    idle.idle();
                }
                else
                {
                    idle.reset();
                }
            }
            if (durability == Durability.SYNC)
            {
                appender.sync();
            }
        }
        catch (final Throwable ex)
        {
            failure = ex;
        }
        finally
        {
            if (sealer != null)
            {
                sealer.close();
            }
            if (appender != null)
            {
                appender.close();
            }
            stopped.countDown();
        }
    }

    @Override
    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        assert isJournalThread() : "a record of the ring handled on " + Thread.currentThread().getName();
        if (msgTypeId == MSG_EVENT)
        {
            writeEvent(buffer, index, length);
        }
        else if (msgTypeId == MSG_COMMIT)
        {
            pendingTicket = Math.max(pendingTicket, buffer.getLong(index));
        }
        else if (msgTypeId == MSG_BATCH_END)
        {
            writeBatchEnd(buffer.getInt(index + Long.BYTES) != 0);
            pendingTicket = Math.max(pendingTicket, buffer.getLong(index));
        }
    }

    private void writeEvent(final DirectBuffer buffer, final int index, final int length)
    {
        bytesSinceSpaceCheck += length;
        if (bytesSinceSpaceCheck >= SPACE_CHECK_INTERVAL)
        {
            diskSpace.check(); // before the write: a mapped page the disk cannot back is a SIGBUS
            bytesSinceSpaceCheck = 0;
        }
        final EventHeader header = this.header.wrap(buffer, index);
        final int checksum = header.computeChecksum(length);
        header.checksum(checksum);
        final boolean inBatch = (header.flags() & BatchRecordDescriptor.EVENT_FLAG) != 0;
        if (inBatch && !batchBegun)
        {
            writeBatchRecord(BatchRecordDescriptor.BEGIN, batch.id(), 0);
            batchBegun = true;
        }
        try (DocumentContext dc = appender.writingDocument())
        {
            dc.wire().bytes().unsafeWrite(buffer.addressOffset() + index, length);
        }
        final long location = appender.lastIndexAppended();
        lastLocation = location;
        lastChecksum = checksum;
        final EventKind kind = EventKind.fromCode(header.kindCode());
        if (inBatch)
        {
            indexBatchEvent(location, kind);
            return;
        }
        eventsWritten++;
        final BranchState branch = branches.byId(header.branchId());
        branch.indexEvent(header.step(), location, kind, header.timestampNanos());
    }

    /**
     * Indexes an event of the open batch where no reader looks until the batch commits.
     */
    private void indexBatchEvent(final long location, final EventKind kind)
    {
        if (batchEvents++ == 0)
        {
            sealer.batchOpened(location);
        }
        final BranchState committed = branches.byId(header.branchId());
        if (committed != null)
        {
            if (committed.stageEvent(header.step(), location, kind, header.timestampNanos()))
            {
                staged.add(committed);
            }
        }
        else
        {
            branches.pending(header.branchId()).indexEvent(header.step(), location, kind, header.timestampNanos());
        }
    }

    /**
     * Writes the end of the open batch, then makes its events readable (commit) or forgets them (abort).
     */
    private void writeBatchEnd(final boolean commit)
    {
        final Batch batch = this.batch;
        if (batchBegun)
        {
            writeBatchRecord(commit ? BatchRecordDescriptor.COMMIT : BatchRecordDescriptor.ABORT, batch.id(), batchEvents);
            sealer.batchEnded(commit);
        }
        if (commit)
        {
            branches.publishPending();
            for (final BranchState branch : staged)
            {
                branch.publishStaged();
            }
            eventsWritten += batchEvents;
        }
        else
        {
            branches.dropPending();
            for (final BranchState branch : staged)
            {
                branch.discardStaged();
            }
        }
        staged.clear();
        batchBegun = false;
        batchEvents = 0;
        batch.outcome(commit ? Batch.COMMITTED : Batch.ROLLED_BACK);
    }

    private void writeBatchRecord(final short type, final long batchId, final long events)
    {
        assert isJournalThread() : "a batch record written on " + Thread.currentThread().getName();
        BatchRecordDescriptor.encode(batchRecord, type, batchId, events, System.currentTimeMillis() * 1_000_000L);
        try (DocumentContext dc = appender.writingDocument(true))
        {
            dc.wire().bytes().unsafeWrite(batchRecord.addressOffset(), BatchRecordDescriptor.LENGTH);
        }
    }
}
