package dev.forkline.kernel;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;

/**
 * The append-only journal of a store: a Chronicle Queue in {@code <store>/journal}, one excerpt per event,
 * each excerpt exactly the bytes laid out in {@link EventHeaderDescriptor}. An event's journal index (roll
 * cycle and sequence) is its location in the store's index.
 * <p>
 * Threading: one appender, created and used only by the journal thread; tailers are confined to the thread
 * that created them.
 */
final class Journal implements AutoCloseable
{
    static final String DIRECTORY = "journal";

    /** One journal file a day; an event's location is {@code cycle << 32 | sequence} (see {@link RollCycles}). */
    static final RollCycles ROLL_CYCLE = RollCycles.FAST_DAILY;

    static
    {
        Store.disableChronicleAnalytics();
    }

    private final SingleChronicleQueue queue;

    private Journal(final SingleChronicleQueue queue)
    {
        this.queue = queue;
    }

    /**
     * @param storeDir   the store directory.
     * @param readOnly   true to read a store another process may be writing.
     * @param durability of a writing store: with {@link Durability#SYNC} the appender's {@code sync()} is a
     *                   synchronous msync (Chronicle's default is {@code MS_ASYNC}, which Linux ignores).
     */
    static Journal open(final Path storeDir, final boolean readOnly, final Durability durability)
    {
        final SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(storeDir.resolve(DIRECTORY))
            .rollCycle(ROLL_CYCLE)
            .readOnly(readOnly)
            .syncMode(durability == Durability.SYNC ? SyncMode.SYNC : SyncMode.NONE)
            // The store lock admits one writing process, so a queue lock still held at open was left by a
            // writer that died; do not wait the default ten seconds before taking it over.
            .timeoutMS(500)
            .build();
        return new Journal(queue);
    }

    /**
     * Points {@code record} at the bytes of the excerpt {@code dc} is reading, in place, if they lie inside the
     * journal file.
     *
     * @return the excerpt's length, or -1 when it runs past the end of a file that was cut short ({@code record}
     * then covers only the event header, if that is inside the file, and {@code bounds} says why).
     */
    static int wrap(final UnsafeBuffer record, final DocumentContext dc, final JournalBounds bounds)
    {
        final Bytes<?> bytes = dc.wire().bytes();
        final int length = (int)bytes.readRemaining();
        if (!bounds.contains(dc, length))
        {
            // keep the header readable when it is inside the file: it says which event was lost
            final String problem = bounds.problem();
            final boolean headerInside = length >= EventHeaderDescriptor.HEADER_LENGTH &&
                bounds.contains(dc, EventHeaderDescriptor.HEADER_LENGTH);
            bounds.problem(problem);
            if (headerInside)
            {
                record.wrap(bytes.addressForRead(bytes.readPosition()), EventHeaderDescriptor.HEADER_LENGTH);
            }
            else
            {
                record.wrap(0, 0);
            }
            return -1;
        }
        record.wrap(bytes.addressForRead(bytes.readPosition()), length);
        return length;
    }

    ExcerptAppender createAppender()
    {
        return queue.createAppender();
    }

    ExcerptTailer createTailer()
    {
        return queue.createTailer();
    }

    Path directory()
    {
        return queue.file().toPath();
    }

    @Override
    public void close()
    {
        queue.close();
    }
}
