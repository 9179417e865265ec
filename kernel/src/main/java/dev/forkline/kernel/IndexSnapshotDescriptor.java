package dev.forkline.kernel;

/**
 * Layout of the index snapshot file {@code <store>/index/snapshot}: the branch table and every event
 * location, as of one journal position (the high-water mark). All fields little-endian.
 * <pre>
 * File header (96 bytes):
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                        Magic 'FKIX'                            |  0
 *  +---------------------------------------------------------------+
 *  |                           Version                             |  4
 *  +---------------------------------------------------------------+
 *  |         High-water mark: journal index of the last event      |  8
 *  |                      the snapshot covers (0: none)            |
 *  +---------------------------------------------------------------+
 *  |            Checksum field of the event at the mark            | 16
 *  +---------------------------------------------------------------+
 *  |                         Branch count                          | 20
 *  +---------------------------------------------------------------+
 *  |                 Events covered (for reports)                  | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |       Sealed mark: location of the last event a seal covers   | 32
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |     Table length: bytes of the header and branch records      | 40
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   Journal end: write position of the newest journal file      | 48
 *  |                when the snapshot was taken                    |
 *  +---------------------------------------------------------------+
 *  |   Journal end: offset after its last record (0: not known)    | 56
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   Journal end: name of that file (ASCII, zero-padded)        ... 64
 *  +---------------------------------------------------------------+
 * The branch table: one record a branch, in id order:
 *  | Branch Id (int) | Parent Id (int, -1 for a root) | Fork Step (long) | Length (long)         |
 *  | Fork Event Location (long) | Outcome Location (long) | Last Timestamp (long)             |
 *  | Fork Count (int) | Chain Head (32 bytes, zeros before the first seal)                      |
 *  | Block Offset (long) | Name Length (int) | Name (UTF-8) |
 * Then:
 *  | CRC32C of the header and the branch table (int) | zero padding to a multiple of 8 |
 * Then one location block a branch, at its Block Offset (a multiple of 8):
 *  | Locations (long x (Length - Fork Step)) | CRC32C of the locations (int) | padding to a multiple of 8 |
 * </pre>
 * The journal end lets opening skip what the snapshot's writer already saw after the mark (seal records written
 * after the last event): when the newest journal file still has that write position and nothing after that
 * offset, the file check and the indexer need not read the records between them (see {@link JournalFileCheck}).
 * <p>
 * Opening a store reads the header and the branch table, which grow with the number of branches, and checks
 * their checksum; a branch's location block, which grows with its events, is checked and read the first time
 * the branch's events are looked up, so open time does not grow with the number of events.
 * <p>
 * The checksum of the event at the mark ties the snapshot to the journal it was taken from: a snapshot
 * whose mark is missing from the journal or holds another event is ignored and the journal scanned. A
 * location block that fails its checksum is rebuilt from the journal, up to the mark, for that branch alone.
 */
final class IndexSnapshotDescriptor
{
    static final int MAGIC = 0x58494B46; // 'F','K','I','X' little-endian
    static final int VERSION = 3;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int HIGH_WATER_MARK_OFFSET = 8;
    static final int MARK_CHECKSUM_OFFSET = 16;
    static final int BRANCH_COUNT_OFFSET = 20;
    static final int EVENTS_OFFSET = 24;
    static final int SEALED_MARK_OFFSET = 32;
    static final int TABLE_LENGTH_OFFSET = 40;
    static final int END_WRITE_POSITION_OFFSET = 48;
    static final int END_OFFSET_OFFSET = 56;
    static final int END_FILE_OFFSET = 64;
    static final int END_FILE_LENGTH = 32;
    static final int HEADER_LENGTH = 96;

    /** Fixed part of a branch record, before the name. */
    static final int BRANCH_FIXED_LENGTH =
        4 + 4 + 8 + 8 + 8 + 8 + 8 + 4 + ChainSealDescriptor.HASH_LENGTH + 8 + 4;

    static final String DIRECTORY = "index";
    static final String FILE_NAME = "snapshot";

    private IndexSnapshotDescriptor()
    {
    }

    /**
     * @return the length of a location block of {@code count} locations, with its checksum and padding.
     */
    static long blockLength(final long count)
    {
        return align8(count * Long.BYTES + Integer.BYTES);
    }

    static long align8(final long length)
    {
        return (length + 7) & ~7L;
    }
}
