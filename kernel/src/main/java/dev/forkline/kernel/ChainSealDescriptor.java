package dev.forkline.kernel;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.checksum.Crc32c;

import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Layout of a seal record: a Chronicle metadata excerpt in the journal (so event readers never see it) that
 * holds the hash-chain values of events written before it. All fields little-endian.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                        Magic 'FKSC'                            |  0
 *  +---------------------------------------------------------------+
 *  |                          Entry count                          |  4
 *  +---------------------------------------------------------------+
 *  |                 Entry: event location (long)                  |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Entry: branch id (int)                        | 16
 *  +---------------------------------------------------------------+
 *  |        Entry: chain value, SHA-256 (32 bytes)                ... 20
 *  +---------------------------------------------------------------+
 *  |                 ... more entries of 44 bytes                  |
 *  +---------------------------------------------------------------+
 *  |     CRC32C of the bytes before it (magic to last entry)       |  8 + 44 * count
 *  +---------------------------------------------------------------+
 * </pre>
 * The chain of a branch: {@code link(e) = SHA-256(link(previous event of the branch) || SHA-256(record of e))},
 * with 32 zero bytes before the branch's first event (its {@code session.start} or {@code fork}). The record is
 * the whole stored event, checksum included. Seals follow the events they cover, in journal order.
 * <p>
 * The checksum makes a seal record damaged by the disk tell from a changed event: without it a flipped bit in a
 * chain value would make the event it seals look tampered with. Seal records of the first layout, magic
 * {@code 'FKSL'} and no checksum, are still read.
 * <p>
 * Chronicle's own metadata excerpts (the file header, its index arrays) start with a binary-wire event name
 * ({@code 0xB9}, a length, letters and digits); a metadata excerpt that is neither that nor a seal record is damaged.
 */
final class ChainSealDescriptor
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    static final int MAGIC = 0x43534B46; // 'F','K','S','C' little-endian
    /** The first layout, without a checksum. */
    static final int UNCHECKED_MAGIC = 0x4C534B46; // 'F','K','S','L' little-endian
    static final int MAGIC_OFFSET = 0;
    static final int COUNT_OFFSET = 4;
    static final int HEADER_LENGTH = 8;
    static final int CHECKSUM_LENGTH = 4;
    /** The first byte of Chronicle's metadata: a binary-wire event name. */
    private static final int CHRONICLE_EVENT_NAME = 0xB9;
    private static final int MAX_CHRONICLE_NAME = 31;

    static final int ENTRY_LOCATION_OFFSET = 0;
    static final int ENTRY_BRANCH_ID_OFFSET = 8;
    static final int ENTRY_CHAIN_OFFSET = 12;
    static final int HASH_LENGTH = 32;
    static final int ENTRY_LENGTH = 12 + HASH_LENGTH;

    private ChainSealDescriptor()
    {
    }

    /**
     * @return the length of a seal record of {@code count} entries.
     */
    static int length(final int count)
    {
        return HEADER_LENGTH + count * ENTRY_LENGTH + CHECKSUM_LENGTH;
    }

    /**
     * Writes the magic, the count and the checksum of a seal record whose {@code count} entries are in place.
     *
     * @return the record's length.
     */
    static int complete(final MutableDirectBuffer record, final int count)
    {
        record.putInt(MAGIC_OFFSET, MAGIC, ORDER);
        record.putInt(COUNT_OFFSET, count, ORDER);
        final int checked = HEADER_LENGTH + count * ENTRY_LENGTH;
        record.putInt(checked, checksum(record, checked), ORDER);
        return checked + CHECKSUM_LENGTH;
    }

    /**
     * @param record a metadata excerpt of {@code length} bytes.
     * @return the number of entries when it is a sound seal record, else -1 (Chronicle's own metadata, or a seal record
     * that is damaged: see {@link #problem}).
     */
    static int entryCount(final DirectBuffer record, final int length)
    {
        if (length < HEADER_LENGTH)
        {
            return -1;
        }
        final int magic = record.getInt(MAGIC_OFFSET, ORDER);
        final int count = record.getInt(COUNT_OFFSET, ORDER);
        if (magic == UNCHECKED_MAGIC)
        {
            return count < 0 ? -1 : (int)Math.min(count, (length - HEADER_LENGTH) / ENTRY_LENGTH);
        }
        return magic == MAGIC && count >= 0 && count <= (length - HEADER_LENGTH) / ENTRY_LENGTH && length == length(count) &&
            record.getInt(length - CHECKSUM_LENGTH, ORDER) == checksum(record, length - CHECKSUM_LENGTH) ? count : -1;
    }

    /**
     * @param record a metadata excerpt of {@code length} bytes.
     * @return null when it is a sound seal record or Chronicle's own metadata, else what is wrong with it.
     */
    static String problem(final DirectBuffer record, final int length)
    {
        if (isChronicles(record, length) || BatchRecordDescriptor.isBatchRecord(record, length))
        {
            return null; // a batch record is checked by the batch's own checksum
        }
        if (length < HEADER_LENGTH)
        {
            return "metadata record of " + length + " bytes, which is neither Chronicle's nor a seal record";
        }
        final int magic = record.getInt(MAGIC_OFFSET, ORDER);
        if (magic == UNCHECKED_MAGIC)
        {
            return record.getInt(COUNT_OFFSET, ORDER) < 0 ? "seal record with a negative entry count" : null;
        }
        if (magic != MAGIC)
        {
            return "metadata record (magic 0x" + Integer.toHexString(magic) + ") which is neither Chronicle's nor a seal record";
        }
        final int count = record.getInt(COUNT_OFFSET, ORDER);
        if (count < 0 || count > (length - HEADER_LENGTH) / ENTRY_LENGTH || length != length(count))
        {
            return "seal record of " + length + " bytes does not hold the " + count + " entries it counts";
        }
        final int stored = record.getInt(length - CHECKSUM_LENGTH, ORDER);
        final int computed = checksum(record, length - CHECKSUM_LENGTH);
        return stored == computed ? null : "seal record checksum mismatch (stored 0x" + Integer.toHexString(stored) +
            ", computed 0x" + Integer.toHexString(computed) + ")";
    }

    /**
     * @return true for Chronicle's own metadata: a binary-wire event name (its header, its index arrays), or nothing.
     */
    private static boolean isChronicles(final DirectBuffer record, final int length)
    {
        if (length == 0)
        {
            return true;
        }
        if ((record.getByte(0) & 0xff) != CHRONICLE_EVENT_NAME || length < 2)
        {
            return false;
        }
        final int nameLength = record.getByte(1);
        if (nameLength < 1 || nameLength > MAX_CHRONICLE_NAME || 2 + nameLength > length)
        {
            return false;
        }
        for (int i = 0; i < nameLength; i++)
        {
            final int c = record.getByte(2 + i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'))
            {
                return false;
            }
        }
        return true;
    }

    private static int checksum(final DirectBuffer record, final int length)
    {
        if (record.byteArray() != null)
        {
            final CRC32C crc = new CRC32C();
            crc.update(record.byteArray(), record.wrapAdjustment(), length);
            return (int)crc.getValue();
        }
        return Crc32c.INSTANCE.compute(record.addressOffset(), 0, length);
    }

    static long entryLocation(final DirectBuffer record, final int entry)
    {
        return record.getLong(HEADER_LENGTH + entry * ENTRY_LENGTH + ENTRY_LOCATION_OFFSET, ORDER);
    }

    static int entryBranchId(final DirectBuffer record, final int entry)
    {
        return record.getInt(HEADER_LENGTH + entry * ENTRY_LENGTH + ENTRY_BRANCH_ID_OFFSET, ORDER);
    }

    static void entryChain(final DirectBuffer record, final int entry, final byte[] link)
    {
        record.getBytes(HEADER_LENGTH + entry * ENTRY_LENGTH + ENTRY_CHAIN_OFFSET, link);
    }
}
