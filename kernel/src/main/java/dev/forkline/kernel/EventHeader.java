package dev.forkline.kernel;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.checksum.Crc32c;

import java.nio.ByteOrder;

import static dev.forkline.kernel.EventHeaderDescriptor.*;

/**
 * Flyweight over an event header laid out as in {@link EventHeaderDescriptor}: {@code wrap} it over a
 * buffer and offset, then read or write fields in place. Allocates nothing; one instance per thread.
 */
final class EventHeader
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private DirectBuffer buffer;
    private MutableDirectBuffer mutableBuffer;
    private int offset;

    EventHeader wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.mutableBuffer = buffer instanceof MutableDirectBuffer ? (MutableDirectBuffer)buffer : null;
        this.offset = offset;
        return this;
    }

    int offset()
    {
        return offset;
    }

    DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Writes every field but the checksum, which the journal thread fills in.
     */
    EventHeader encode(
        final EventKind kind,
        final int flags,
        final int branchId,
        final long step,
        final long timestampNanos,
        final int parentBranchId,
        final int keyLength,
        final int payloadLength)
    {
        final MutableDirectBuffer b = mutableBuffer;
        b.putInt(offset + MAGIC_OFFSET, MAGIC, ORDER);
        b.putShort(offset + VERSION_OFFSET, VERSION, ORDER);
        b.putShort(offset + KIND_OFFSET, kind.code(), ORDER);
        b.putInt(offset + FLAGS_OFFSET, flags, ORDER);
        b.putInt(offset + BRANCH_ID_OFFSET, branchId, ORDER);
        b.putLong(offset + STEP_OFFSET, step, ORDER);
        b.putLong(offset + TIMESTAMP_OFFSET, timestampNanos, ORDER);
        b.putInt(offset + PARENT_BRANCH_ID_OFFSET, parentBranchId, ORDER);
        b.putShort(offset + KEY_LENGTH_OFFSET, (short)keyLength, ORDER);
        b.putShort(offset + RESERVED_OFFSET, (short)0, ORDER);
        b.putInt(offset + PAYLOAD_LENGTH_OFFSET, payloadLength, ORDER);
        b.putInt(offset + CHECKSUM_OFFSET, 0, ORDER);
        return this;
    }

    int magic()
    {
        return buffer.getInt(offset + MAGIC_OFFSET, ORDER);
    }

    short version()
    {
        return buffer.getShort(offset + VERSION_OFFSET, ORDER);
    }

    short kindCode()
    {
        return buffer.getShort(offset + KIND_OFFSET, ORDER);
    }

    int flags()
    {
        return buffer.getInt(offset + FLAGS_OFFSET, ORDER);
    }

    int branchId()
    {
        return buffer.getInt(offset + BRANCH_ID_OFFSET, ORDER);
    }

    long step()
    {
        return buffer.getLong(offset + STEP_OFFSET, ORDER);
    }

    long timestampNanos()
    {
        return buffer.getLong(offset + TIMESTAMP_OFFSET, ORDER);
    }

    int parentBranchId()
    {
        return buffer.getInt(offset + PARENT_BRANCH_ID_OFFSET, ORDER);
    }

    int keyLength()
    {
        return buffer.getShort(offset + KEY_LENGTH_OFFSET, ORDER) & 0xFFFF;
    }

    int payloadLength()
    {
        return buffer.getInt(offset + PAYLOAD_LENGTH_OFFSET, ORDER);
    }

    int checksum()
    {
        return buffer.getInt(offset + CHECKSUM_OFFSET, ORDER);
    }

    void checksum(final int checksum)
    {
        mutableBuffer.putInt(offset + CHECKSUM_OFFSET, checksum, ORDER);
    }

    /**
     * @param length the length of the whole record.
     * @return the CRC32C of the record from {@link EventHeaderDescriptor#CHECKSUMMED_OFFSET} to its end.
     * Only for buffers over off-heap memory (the ring and the mapped journal).
     */
    int computeChecksum(final int length)
    {
        assert buffer.byteArray() == null : "checksums are computed over off-heap memory only";
        return Crc32c.INSTANCE.compute(buffer.addressOffset(), offset + CHECKSUMMED_OFFSET, length - CHECKSUMMED_OFFSET);
    }

    /**
     * @param length the number of bytes the container holds for this event.
     * @return null when the header is sound for that length and the checksum matches, else what is wrong.
     */
    String validate(final int length)
    {
        if (length < HEADER_LENGTH)
        {
            return "record of " + length + " bytes is shorter than an event header";
        }
        if (magic() != MAGIC)
        {
            return "bad magic 0x" + Integer.toHexString(magic());
        }
        if (version() != VERSION)
        {
            return "unsupported header version " + version();
        }
        if (EventKind.fromCode(kindCode()) == null)
        {
            return "unknown kind code " + kindCode();
        }
        final int keyLength = keyLength();
        final int payloadLength = payloadLength();
        if (keyLength > MAX_KEY_LENGTH || payloadLength < 0 ||
            (long)HEADER_LENGTH + keyLength + payloadLength != length)
        {
            return "lengths (key " + keyLength + ", payload " + payloadLength + ") do not match record of " +
                length + " bytes";
        }
        final int checksum = computeChecksum(length);
        if (checksum != checksum())
        {
            return "checksum mismatch (stored 0x" + Integer.toHexString(checksum()) + ", computed 0x" +
                Integer.toHexString(checksum) + ")";
        }
        return null;
    }
}
