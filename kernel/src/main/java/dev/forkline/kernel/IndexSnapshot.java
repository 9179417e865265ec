package dev.forkline.kernel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

import static dev.forkline.kernel.IndexSnapshotDescriptor.*;

/**
 * Writes and loads the index snapshot laid out in {@link IndexSnapshotDescriptor}, so that opening a store
 * reads the snapshot plus the journal after its high-water mark instead of the whole journal.
 * <p>
 * Design note: the snapshot is written to a temporary file and renamed over the old one, so a reader (or
 * a crash) sees either the old snapshot or the new one, never half of one. A snapshot that fails its
 * checksum is ignored: the journal is the truth, the snapshot only a shortcut.
 */
final class IndexSnapshot
{
    private static final int STAGING = 1 << 20;

    /** A loaded snapshot: the table it holds, its location blocks and the journal position it covers. */
    record Loaded(
        BranchTable table, SnapshotBlocks blocks, long mark, int markChecksum, long events, long sealedMark, JournalEnd end)
    {
    }

    /**
     * Where the journal ended when a snapshot was taken: the newest journal file, its write position (the offset of
     * its last event) and the offset after its last record.
     */
    record JournalEnd(String file, long writePosition, long offset)
    {
    }

    private IndexSnapshot()
    {
    }

    static Path file(final Path storeDir)
    {
        return storeDir.resolve(DIRECTORY).resolve(FILE_NAME);
    }

    /**
     * Writes the snapshot of {@code table} as of journal index {@code mark}. The table must not change meanwhile.
     */
    static void write(
        final Path storeDir,
        final BranchTable table,
        final long mark,
        final int markChecksum,
        final long events,
        final long sealedMark,
        final JournalEnd end)
        throws IOException
    {
        final Path dir = storeDir.resolve(DIRECTORY);
        Files.createDirectories(dir);
        final Path tmp = dir.resolve(FILE_NAME + ".tmp");
        final List<BranchState> branches = table.all();
        final int count = branches.size();
        final long[] lengths = new long[count];
        final byte[][] names = new byte[count][];
        final long[] blockOffsets = new long[count];
        long tableLength = HEADER_LENGTH;
        for (int i = 0; i < count; i++)
        {
            final BranchState branch = branches.get(i);
            lengths[i] = branch.length();
            names[i] = branch.name.getBytes(StandardCharsets.UTF_8);
            tableLength += BRANCH_FIXED_LENGTH + names[i].length;
        }
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            final Output out = new Output(channel);
            out.ensure(HEADER_LENGTH).putInt(MAGIC).putInt(VERSION).putLong(mark).putInt(markChecksum).putInt(count)
                .putLong(events).putLong(sealedMark).putLong(tableLength);
            final byte[] endFile = end == null ? new byte[0] : end.file().getBytes(StandardCharsets.US_ASCII);
            final boolean withEnd = end != null && endFile.length <= END_FILE_LENGTH;
            out.ensure(HEADER_LENGTH - END_WRITE_POSITION_OFFSET)
                .putLong(withEnd ? end.writePosition() : 0)
                .putLong(withEnd ? end.offset() : 0)
                .put(withEnd ? endFile : new byte[0])
                .put(new byte[END_FILE_LENGTH - (withEnd ? endFile.length : 0)]);
            long blockOffset = align8(tableLength + Integer.BYTES);
            for (int i = 0; i < count; i++)
            {
                final BranchState branch = branches.get(i);
                out.ensure(BRANCH_FIXED_LENGTH + names[i].length)
                    .putInt(branch.id)
                    .putInt(branch.parent == null ? -1 : branch.parent.id)
                    .putLong(branch.forkStep)
                    .putLong(lengths[i])
                    .putLong(branch.forkEventLocation())
                    .putLong(branch.outcomeLocation())
                    .putLong(branch.lastTimestampNanos())
                    .putInt(branch.forkCount())
                    .put(branch.chainHead() == null ? ChainHash.ZERO : branch.chainHead())
                    .putLong(blockOffsets[i] = blockOffset)
                    .putInt(names[i].length)
                    .put(names[i]);
                blockOffset += blockLength(lengths[i] - branch.forkStep);
            }
            out.endChecked();
            for (int i = 0; i < count; i++)
            {
                final BranchState branch = branches.get(i);
                if (out.offset() != blockOffsets[i])
                {
                    throw new IllegalStateException("block of " + branch.name + " at " + out.offset() + ", not " + blockOffsets[i]);
                }
                for (long step = branch.forkStep; step < lengths[i]; step++)
                {
                    out.ensure(Long.BYTES).putLong(branch.snapshotLocation(step));
                }
                out.endChecked();
            }
            out.flush();
            channel.force(true);
        }
        try
        {
            Files.move(tmp, file(storeDir), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            Files.move(tmp, file(storeDir), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Stages the snapshot in a direct buffer and writes it a megabyte at a time, with CRC32C over each checked
     * section (the table, then each block) followed by the checksum and padding to a multiple of 8.
     */
    private static final class Output
    {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(STAGING).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();
        private int checkedFrom;
        private long written;

        Output(final FileChannel channel)
        {
            this.channel = channel;
        }

        ByteBuffer ensure(final int bytes) throws IOException
        {
            if (buffer.remaining() < bytes)
            {
                flush();
            }
            return buffer;
        }

        /**
         * Ends a checked section: writes its checksum and pads to a multiple of 8; the next section starts after.
         */
        void endChecked() throws IOException
        {
            update();
            ensure(Integer.BYTES + 8).putInt((int)crc.getValue());
            while (((written + buffer.position()) & 7) != 0) // the file offset, not the buffer's, is padded
            {
                buffer.put((byte)0);
            }
            crc.reset();
            checkedFrom = buffer.position();
        }

        long offset()
        {
            return written + buffer.position();
        }

        void flush() throws IOException
        {
            update();
            final int length = buffer.position();
            buffer.flip();
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
            written += length;
            buffer.clear();
            checkedFrom = 0;
        }

        private void update()
        {
            crc.update(buffer.duplicate().limit(buffer.position()).position(checkedFrom));
            checkedFrom = buffer.position();
        }
    }

    /**
     * Maps the snapshot and reads its branch table; location blocks are read when first used.
     *
     * @return the snapshot, or null when there is none or its table is damaged (then the journal is scanned).
     */
    static Loaded load(final Path storeDir)
    {
        final Path file = file(storeDir);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (size < HEADER_LENGTH + Integer.BYTES)
            {
                return null;
            }
            final SnapshotBlocks blocks = SnapshotBlocks.map(channel, size);
            final ByteBuffer in = blocks.first();
            final long tableLength = in.getLong(TABLE_LENGTH_OFFSET);
            if (in.getInt(MAGIC_OFFSET) != MAGIC || in.getInt(VERSION_OFFSET) != VERSION ||
                tableLength < HEADER_LENGTH || tableLength + Integer.BYTES > in.capacity())
            {
                return null;
            }
            final CRC32C crc = new CRC32C();
            crc.update(in.duplicate().limit((int)tableLength).position(0));
            if ((int)crc.getValue() != in.getInt((int)tableLength))
            {
                return null;
            }
            return parse(in, (int)tableLength, blocks);
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
        catch (final IOException | RuntimeException ex)
        {
            return null; // unreadable or malformed: the journal scan rebuilds what it held
        }
    }

    private static JournalEnd end(final ByteBuffer in)
    {
        final long offset = in.getLong(END_OFFSET_OFFSET);
        int length = 0;
        while (length < END_FILE_LENGTH && in.get(END_FILE_OFFSET + length) != 0)
        {
            length++;
        }
        if (offset <= 0 || length == 0)
        {
            return null;
        }
        final byte[] name = new byte[length];
        in.get(END_FILE_OFFSET, name);
        return new JournalEnd(new String(name, StandardCharsets.US_ASCII), in.getLong(END_WRITE_POSITION_OFFSET), offset);
    }

    private static Loaded parse(final ByteBuffer in, final int tableLength, final SnapshotBlocks blocks)
    {
        final long mark = in.getLong(HIGH_WATER_MARK_OFFSET);
        final int markChecksum = in.getInt(MARK_CHECKSUM_OFFSET);
        final int count = in.getInt(BRANCH_COUNT_OFFSET);
        final long events = in.getLong(EVENTS_OFFSET);
        final long sealedMark = in.getLong(SEALED_MARK_OFFSET);
        final BranchTable table = new BranchTable(count);
        blocks.mark(mark);
        blocks.table(table);
        final byte[] chainHead = new byte[ChainSealDescriptor.HASH_LENGTH];
        final ByteBuffer records = in.duplicate().order(ByteOrder.LITTLE_ENDIAN).limit(tableLength).position(HEADER_LENGTH);
        long nextBlock = align8(tableLength + Integer.BYTES);
        for (int i = 0; i < count; i++)
        {
            final int id = records.getInt();
            final int parentId = records.getInt();
            final long forkStep = records.getLong();
            final long length = records.getLong();
            final long forkEventLocation = records.getLong();
            final long outcomeLocation = records.getLong();
            final long lastTimestamp = records.getLong();
            final int forkCount = records.getInt();
            records.get(chainHead);
            final long blockOffset = records.getLong();
            final byte[] name = new byte[records.getInt()];
            records.get(name);
            final long own = length - forkStep;
            if (forkStep < 0 || own < 0 || own > Integer.MAX_VALUE || blockOffset != nextBlock ||
                blockOffset + own * Long.BYTES + Integer.BYTES > blocks.size())
            {
                return null;
            }
            nextBlock += blockLength(own);
            final BranchState parent = parentId < 0 ? null : table.byId(parentId);
            final BranchState branch = table.restore(id, new String(name, StandardCharsets.UTF_8), parent, forkStep);
            if (branch == null || (parentId >= 0 && parent == null))
            {
                return null;
            }
            branch.restoreIndex(blocks, blockOffset, length, forkEventLocation, outcomeLocation, lastTimestamp, forkCount);
            if (!java.util.Arrays.equals(chainHead, ChainHash.ZERO))
            {
                branch.chainHead(chainHead);
            }
        }
        return records.position() == tableLength ?
            new Loaded(table, blocks, mark, markChecksum, events, sealedMark, end(in)) : null;
    }
}
