package dev.forkline.kernel;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.checksum.Crc32c;

import java.nio.ByteOrder;

/**
 * Layout of a batch record: the begin, commit or abort of a batch of events, a Chronicle metadata excerpt in the
 * journal (so event readers never take it for an event). All fields are little-endian.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |           Checksum: CRC32C of every byte from offset 4        |  0
 *  +---------------------------------------------------------------+
 *  |                        Magic 'FKBT'                            |  4
 *  +-------------------------------+-------------------------------+
 *  |            Version            |             Type              |  8
 *  +-------------------------------+-------------------------------+
 *  |                           Reserved                            | 12
 *  +---------------------------------------------------------------+
 *  |                           Batch Id                            | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |         Events: the batch's events (commit and abort)         | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                   Timestamp (epoch nanoseconds)               | 32
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 * Type 1 begin, 2 commit, 3 abort. Every event written in a batch carries {@link #EVENT_FLAG} in its flags, and
 * that flag, not the place of an event between the records, says which events are the batch's: events appended
 * outside the batch while it is open lie between its records too. A reader reading the journal in order takes a
 * flagged event as part of the batch open at that point; the batch's events count from its commit record on, and
 * never when it ends with an abort record, with the begin record of another batch (a writer begins a batch only
 * after the one before ended, so the one before was left open by a writer that died), or not at all.
 * <p>
 * The record begins as an event record does (checksum, then a magic that says what it is, then version and type),
 * so that a reader of a container holding both kinds tells them apart by the magic alone. A begin record is
 * written just before the batch's first event, so a batch without events leaves no record.
 */
final class BatchRecordDescriptor
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    /** 'F','K','B','T' read as a little-endian int. */
    static final int MAGIC = 0x54424B46;
    static final short VERSION = 1;

    static final short BEGIN = 1;
    static final short COMMIT = 2;
    static final short ABORT = 3;

    static final int CHECKSUM_OFFSET = 0;
    static final int MAGIC_OFFSET = 4;
    static final int VERSION_OFFSET = 8;
    static final int TYPE_OFFSET = 10;
    static final int RESERVED_OFFSET = 12;
    static final int BATCH_ID_OFFSET = 16;
    static final int EVENTS_OFFSET = 24;
    static final int TIMESTAMP_OFFSET = 32;
    static final int LENGTH = 40;

    /** The checksum covers the record from here to its end. */
    static final int CHECKSUMMED_OFFSET = 4;

    /** Bit of an event's flags word: the event was written in a batch and counts only once the batch commits. */
    static final int EVENT_FLAG = 1 << 2;

    /** The id of a batch whose begin record a reader did not read (it began before where the reader started). */
    static final long UNKNOWN_ID = 0;

    private BatchRecordDescriptor()
    {
    }

    /**
     * @return true when the metadata excerpt of {@code length} bytes is meant as a batch record (its magic says so),
     * sound or not.
     */
    static boolean isBatchRecord(final DirectBuffer record, final int length)
    {
        return length >= MAGIC_OFFSET + Integer.BYTES && record.getInt(MAGIC_OFFSET, ORDER) == MAGIC;
    }

    /**
     * Writes a whole record, checksum included, at offset 0 of {@code buffer}, which must be off-heap.
     */
    static void encode(
        final MutableDirectBuffer buffer, final short type, final long batchId, final long events, final long timestampNanos)
    {
        buffer.putInt(MAGIC_OFFSET, MAGIC, ORDER);
        buffer.putShort(VERSION_OFFSET, VERSION, ORDER);
        buffer.putShort(TYPE_OFFSET, type, ORDER);
        buffer.putInt(RESERVED_OFFSET, 0, ORDER);
        buffer.putLong(BATCH_ID_OFFSET, batchId, ORDER);
        buffer.putLong(EVENTS_OFFSET, events, ORDER);
        buffer.putLong(TIMESTAMP_OFFSET, timestampNanos, ORDER);
        buffer.putInt(CHECKSUM_OFFSET, checksum(buffer), ORDER);
    }

    /**
     * @param record a record for which {@link #isBatchRecord} is true, over off-heap memory.
     * @return null when it is a sound batch record, else what is wrong with it.
     */
    static String validate(final DirectBuffer record, final int length)
    {
        if (length != LENGTH)
        {
            return "batch record of " + length + " bytes, not " + LENGTH;
        }
        if (record.getShort(VERSION_OFFSET, ORDER) != VERSION)
        {
            return "unsupported batch record version " + record.getShort(VERSION_OFFSET, ORDER);
        }
        final short type = type(record);
        if (type != BEGIN && type != COMMIT && type != ABORT)
        {
            return "unknown batch record type " + type;
        }
        final int checksum = checksum(record);
        final int stored = record.getInt(CHECKSUM_OFFSET, ORDER);
        if (checksum != stored)
        {
            return "batch record checksum mismatch (stored 0x" + Integer.toHexString(stored) + ", computed 0x" +
                Integer.toHexString(checksum) + ")";
        }
        return null;
    }

    static short type(final DirectBuffer record)
    {
        return record.getShort(TYPE_OFFSET, ORDER);
    }

    static long batchId(final DirectBuffer record)
    {
        return record.getLong(BATCH_ID_OFFSET, ORDER);
    }

    static long events(final DirectBuffer record)
    {
        return record.getLong(EVENTS_OFFSET, ORDER);
    }

    private static int checksum(final DirectBuffer record)
    {
        assert record.byteArray() == null : "checksums are computed over off-heap memory only";
        return Crc32c.INSTANCE.compute(record.addressOffset(), CHECKSUMMED_OFFSET, LENGTH - CHECKSUMMED_OFFSET);
    }
}
