package dev.forkline.kernel;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Layout of a seal record: a Chronicle metadata excerpt in the journal (so event readers never see it) that
 * holds the hash-chain values of events written before it. All fields little-endian.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                        Magic 'FKSL'                            |  0
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
 * </pre>
 * The chain of a branch: {@code link(e) = SHA-256(link(previous event of the branch) || SHA-256(record of e))},
 * with 32 zero bytes before the branch's first event (its {@code session.start} or {@code fork}). The record is
 * the whole stored event, checksum included. Seals follow the events they cover, in journal order.
 */
final class ChainSealDescriptor
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    static final int MAGIC = 0x4C534B46; // 'F','K','S','L' little-endian
    static final int MAGIC_OFFSET = 0;
    static final int COUNT_OFFSET = 4;
    static final int HEADER_LENGTH = 8;

    static final int ENTRY_LOCATION_OFFSET = 0;
    static final int ENTRY_BRANCH_ID_OFFSET = 8;
    static final int ENTRY_CHAIN_OFFSET = 12;
    static final int HASH_LENGTH = 32;
    static final int ENTRY_LENGTH = 12 + HASH_LENGTH;

    private ChainSealDescriptor()
    {
    }

    /**
     * @param record a metadata excerpt of {@code length} bytes.
     * @return the number of whole entries when it is a seal record, else -1 (Chronicle's own metadata).
     */
    static int entryCount(final DirectBuffer record, final int length)
    {
        if (length < HEADER_LENGTH || record.getInt(MAGIC_OFFSET, ORDER) != MAGIC)
        {
            return -1;
        }
        final int count = record.getInt(COUNT_OFFSET, ORDER);
        return count < 0 ? -1 : (int)Math.min(count, (length - HEADER_LENGTH) / ENTRY_LENGTH);
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
