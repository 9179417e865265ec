package dev.forkline.kernel;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The location blocks of a loaded index snapshot, read in place from the mapped snapshot file, and the
 * repair of a block that fails its checksum.
 * <p>
 * Design note: the snapshot is mapped, not read, so opening a store costs the branch table and nothing a
 * branch's events add; a branch pays for its block (one CRC32C pass and a copy to the heap, where lookups run at
 * array speed) the first time its events are looked up. Writing the next snapshot reads untouched blocks in place.
 * The file is mapped in segments of 1 GiB because one mapping holds at most 2 GiB; locations are 8-byte
 * aligned, so none straddles two segments. The snapshot file is never written in place (a new one is renamed
 * over it), so the mapping stays valid while a writer replaces it. Mappings are released by the collector
 * once the store and its branches are unreachable: unmapping by hand while a reader might still look would
 * crash the JVM.
 * <p>
 * Threading: reads are absolute, so any thread may call {@link #location}.
 */
final class SnapshotBlocks
{
    private static final int SEGMENT_SHIFT = 30;
    private static final long SEGMENT_MASK = (1L << SEGMENT_SHIFT) - 1;

    private final ByteBuffer[] segments;
    private final long size;
    private long mark; // set before the store is shared
    private final AtomicInteger checked = new AtomicInteger();
    private final AtomicInteger rebuilt = new AtomicInteger();
    private volatile Journal journal;
    private BranchTable table; // set before the store is shared
    private long[][] rebuiltById; // guarded by this
    private int scans; // guarded by this

    private SnapshotBlocks(final ByteBuffer[] segments, final long size)
    {
        this.segments = segments;
        this.size = size;
    }

    /**
     * Maps a snapshot file of {@code size} bytes.
     */
    static SnapshotBlocks map(final FileChannel channel, final long size) throws IOException
    {
        final ByteBuffer[] segments = new ByteBuffer[(int)((size + SEGMENT_MASK) >>> SEGMENT_SHIFT)];
        for (int i = 0; i < segments.length; i++)
        {
            final long position = (long)i << SEGMENT_SHIFT;
            segments[i] = channel.map(FileChannel.MapMode.READ_ONLY, position, Math.min(size - position, 1L << SEGMENT_SHIFT))
                .order(ByteOrder.LITTLE_ENDIAN);
        }
        return new SnapshotBlocks(segments, size);
    }

    /**
     * @return the first segment, which holds the header and, unless the table is over 1 GiB, the branch table.
     */
    ByteBuffer first()
    {
        return segments[0];
    }

    long size()
    {
        return size;
    }

    /**
     * Sets the snapshot's high-water mark: a rebuilt block reads the journal up to it.
     */
    void mark(final long mark)
    {
        this.mark = mark;
    }

    /**
     * Gives the journal the snapshot belongs to, for rebuilding a damaged block.
     */
    void journal(final Journal journal)
    {
        this.journal = journal;
    }

    /**
     * @return location {@code slot} of the block at {@code blockOffset}.
     */
    long location(final long blockOffset, final long slot)
    {
        final long position = blockOffset + (slot << 3);
        return segments[(int)(position >>> SEGMENT_SHIFT)].getLong((int)(position & SEGMENT_MASK));
    }

    /**
     * @return the block of {@code count} locations at {@code blockOffset}, copied to the heap.
     */
    long[] copy(final long blockOffset, final int count)
    {
        final long[] locations = new long[count];
        long position = blockOffset;
        int copied = 0;
        while (copied < count)
        {
            final ByteBuffer segment = segments[(int)(position >>> SEGMENT_SHIFT)];
            final int from = (int)(position & SEGMENT_MASK);
            final int n = Math.min(count - copied, (segment.capacity() - from) / Long.BYTES);
            segment.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(from).asLongBuffer().get(locations, copied, n);
            copied += n;
            position += (long)n * Long.BYTES;
        }
        return locations;
    }

    /**
     * @return true when the block of {@code count} locations at {@code blockOffset} matches its checksum.
     */
    boolean check(final long blockOffset, final long count)
    {
        checked.incrementAndGet();
        final long end = blockOffset + count * Long.BYTES;
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        long position = blockOffset;
        while (position < end)
        {
            final ByteBuffer segment = segments[(int)(position >>> SEGMENT_SHIFT)];
            final int from = (int)(position & SEGMENT_MASK);
            final int to = (int)Math.min(segment.capacity(), from + (end - position));
            crc.update(segment.duplicate().limit(to).position(from));
            position += to - from;
        }
        final ByteBuffer segment = segments[(int)(end >>> SEGMENT_SHIFT)];
        return segment.getInt((int)(end & SEGMENT_MASK)) == (int)crc.getValue();
    }

    /**
     * Gives the table the snapshot was loaded into: a rebuild fills the base of every branch in one scan.
     */
    void table(final BranchTable table)
    {
        this.table = table;
    }

    /**
     * Rebuilds the own locations of {@code branch} that the snapshot holds, the first {@code count} of them, from
     * the journal up to the snapshot's mark. The first call reads the journal once for every branch with a base
     * (one damaged block seldom comes alone, and a scan for each would cost the journal's size each time).
     */
    synchronized long[] rebuild(final BranchState branch, final int count)
    {
        rebuilt.incrementAndGet();
        if (rebuiltById == null)
        {
            rebuiltById = scan();
        }
        final long[] locations = branch.id < rebuiltById.length ? rebuiltById[branch.id] : null;
        if (locations != null)
        {
            rebuiltById[branch.id] = null; // handed over
        }
        return locations != null && locations.length == count ? locations : new long[count];
    }

    private long[][] scan()
    {
        scans++;
        final java.util.List<BranchState> branches = table == null ? java.util.List.of() : table.all();
        final long[][] byId = new long[branches.isEmpty() ? 0 : branches.get(branches.size() - 1).id + 1][];
        for (final BranchState branch : branches)
        {
            if (branch.blocks() == this && branch.baseCount() > 0)
            {
                byId[branch.id] = new long[(int)branch.baseCount()];
            }
        }
        final Journal journal = this.journal;
        if (journal == null)
        {
            return byId;
        }
        final UnsafeBuffer record = new UnsafeBuffer(0, 0);
        final EventHeader header = new EventHeader();
        final JournalBounds bounds = new JournalBounds();
        final ExcerptTailer tailer = journal.createTailer();
        try
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument(true))
                {
                    if (!dc.isPresent() || Long.compareUnsigned(dc.index(), mark) > 0)
                    {
                        break;
                    }
                    final int length = Journal.wrap(record, dc, bounds);
                    if (length < 0)
                    {
                        break;
                    }
                    if (dc.isMetaData())
                    {
                        continue;
                    }
                    header.wrap(record, 0);
                    final int id = header.branchId();
                    if (header.validate(length) == null && id >= 0 && id < byId.length && byId[id] != null &&
                        header.kindCode() != EventKind.FORK.code())
                    {
                        final BranchState branch = table.byId(id);
                        final long slot = header.step() - branch.forkStep;
                        if (slot >= 0 && slot < byId[id].length)
                        {
                            byId[id][(int)slot] = dc.index();
                        }
                    }
                }
            }
        }
        catch (final InternalError fault)
        {
            // a journal cut short: what was found before the cut stands, the rest reads as missing
        }
        finally
        {
            tailer.close();
        }
        return byId;
    }

    /**
     * @return how many times the journal was read to rebuild blocks (at most once).
     */
    synchronized int journalScans()
    {
        return scans;
    }

    /**
     * @return how many blocks were checked so far (each at most once a branch).
     */
    int checkedBlocks()
    {
        return checked.get();
    }

    /**
     * @return how many blocks failed their checksum and were rebuilt from the journal.
     */
    int rebuiltBlocks()
    {
        return rebuilt.get();
    }
}
