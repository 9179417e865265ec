package dev.forkline.kernel;

/**
 * Layout of the index snapshot file {@code <store>/index/snapshot}: the branch table and every event
 * location, as of one journal position (the high-water mark). All fields little-endian.
 * <pre>
 * File header (40 bytes):
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
 * Then one record a branch, in id order:
 *  | Branch Id (int) | Parent Id (int, -1 for a root) | Fork Step (long) | Length (long)         |
 *  | Fork Event Location (long) | Outcome Location (long) | Last Timestamp (long)             |
 *  | Fork Count (int) | Chain Head (32 bytes, zeros before the first seal) | Name Length (int) |
 *  | Name (UTF-8) | Locations (long x (Length - Fork Step)) |
 * Then:
 *  | CRC32C of every byte before it (int) |
 * </pre>
 * The checksum of the event at the mark ties the snapshot to the journal it was taken from: a snapshot
 * whose mark is missing from the journal or holds another event is ignored and the journal scanned.
 */
final class IndexSnapshotDescriptor
{
    static final int MAGIC = 0x58494B46; // 'F','K','I','X' little-endian
    static final int VERSION = 1;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int HIGH_WATER_MARK_OFFSET = 8;
    static final int MARK_CHECKSUM_OFFSET = 16;
    static final int BRANCH_COUNT_OFFSET = 20;
    static final int EVENTS_OFFSET = 24;
    static final int SEALED_MARK_OFFSET = 32;
    static final int HEADER_LENGTH = 40;

    /** Fixed part of a branch record, before the name. */
    static final int BRANCH_FIXED_LENGTH = 4 + 4 + 8 + 8 + 8 + 8 + 8 + 4 + ChainSealDescriptor.HASH_LENGTH + 4;

    static final String DIRECTORY = "index";
    static final String FILE_NAME = "snapshot";

    private IndexSnapshotDescriptor()
    {
    }
}
