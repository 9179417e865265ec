package dev.forkline.kernel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
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

    /** A loaded snapshot: the table it holds and the journal position it covers. */
    record Loaded(BranchTable table, long mark, int markChecksum, long events, long sealedMark)
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
        final Path storeDir, final BranchTable table, final long mark, final int markChecksum, final long events, final long sealedMark)
        throws IOException
    {
        final Path dir = storeDir.resolve(DIRECTORY);
        Files.createDirectories(dir);
        final Path tmp = dir.resolve(FILE_NAME + ".tmp");
        final List<BranchState> branches = table.all();
        final ByteBuffer buffer = ByteBuffer.allocateDirect(STAGING).order(ByteOrder.LITTLE_ENDIAN);
        final CRC32C crc = new CRC32C();
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            buffer.putInt(MAGIC).putInt(VERSION).putLong(mark).putInt(markChecksum).putInt(branches.size())
                .putLong(events).putLong(sealedMark);
            for (final BranchState branch : branches)
            {
                final byte[] name = branch.name.getBytes(StandardCharsets.UTF_8);
                ensure(channel, buffer, crc, BRANCH_FIXED_LENGTH + name.length);
                final long length = branch.length();
                buffer.putInt(branch.id)
                    .putInt(branch.parent == null ? -1 : branch.parent.id)
                    .putLong(branch.forkStep)
                    .putLong(length)
                    .putLong(branch.forkEventLocation())
                    .putLong(branch.outcomeLocation())
                    .putLong(branch.lastTimestampNanos())
                    .putInt(branch.forkCount())
                    .put(branch.chainHead() == null ? ChainHash.ZERO : branch.chainHead())
                    .putInt(name.length)
                    .put(name);
                for (long step = branch.forkStep; step < length; step++)
                {
                    ensure(channel, buffer, crc, Long.BYTES);
                    buffer.putLong(branch.ownLocation(step));
                }
            }
            flush(channel, buffer, crc);
            buffer.putInt((int)crc.getValue());
            buffer.flip();
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
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

    private static void ensure(final FileChannel channel, final ByteBuffer buffer, final CRC32C crc, final int bytes)
        throws IOException
    {
        if (buffer.remaining() < bytes + Integer.BYTES)
        {
            flush(channel, buffer, crc);
        }
    }

    private static void flush(final FileChannel channel, final ByteBuffer buffer, final CRC32C crc) throws IOException
    {
        buffer.flip();
        crc.update(buffer.duplicate());
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
        buffer.clear();
    }

    /**
     * @return the snapshot, or null when there is none or it is damaged (then the journal is scanned).
     */
    static Loaded load(final Path storeDir)
    {
        final Path file = file(storeDir);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (size < HEADER_LENGTH + Integer.BYTES || size > Integer.MAX_VALUE)
            {
                return null;
            }
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            final ByteBuffer in = mapped.order(ByteOrder.LITTLE_ENDIAN);
            final int bodyLength = (int)size - Integer.BYTES;
            final CRC32C crc = new CRC32C();
            crc.update(in.duplicate().limit(bodyLength));
            if ((int)crc.getValue() != in.getInt(bodyLength) || in.getInt(MAGIC_OFFSET) != MAGIC ||
                in.getInt(VERSION_OFFSET) != VERSION)
            {
                return null;
            }
            return parse(in, bodyLength);
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

    private static Loaded parse(final ByteBuffer in, final int bodyLength)
    {
        final long mark = in.getLong(HIGH_WATER_MARK_OFFSET);
        final int markChecksum = in.getInt(MARK_CHECKSUM_OFFSET);
        final int count = in.getInt(BRANCH_COUNT_OFFSET);
        final long events = in.getLong(EVENTS_OFFSET);
        final long sealedMark = in.getLong(SEALED_MARK_OFFSET);
        final byte[] chainHead = new byte[ChainSealDescriptor.HASH_LENGTH];
        final BranchTable table = new BranchTable();
        in.position(HEADER_LENGTH);
        for (int i = 0; i < count; i++)
        {
            final int id = in.getInt();
            final int parentId = in.getInt();
            final long forkStep = in.getLong();
            final long length = in.getLong();
            final long forkEventLocation = in.getLong();
            final long outcomeLocation = in.getLong();
            final long lastTimestamp = in.getLong();
            final int forkCount = in.getInt();
            in.get(chainHead);
            final byte[] name = new byte[in.getInt()];
            in.get(name);
            final long[] locations = new long[(int)Math.max(8, length - forkStep)];
            for (int s = 0; s < length - forkStep; s++)
            {
                locations[s] = in.getLong();
            }
            final BranchState parent = parentId < 0 ? null : table.byId(parentId);
            final BranchState branch = table.restore(id, new String(name, StandardCharsets.UTF_8), parent, forkStep);
            if (branch == null || (parentId >= 0 && parent == null) || in.position() > bodyLength)
            {
                return null;
            }
            branch.restoreIndex(locations, length, forkEventLocation, outcomeLocation, lastTimestamp, forkCount);
            if (!java.util.Arrays.equals(chainHead, ChainHash.ZERO))
            {
                branch.chainHead(chainHead);
            }
        }
        return in.position() == bodyLength ? new Loaded(table, mark, markChecksum, events, sealedMark) : null;
    }
}
