package dev.forkline.kernel;

/**
 * Layout of one event as it is stored: a fixed header, the branch name (only on the event that creates
 * a branch), then the payload. All fields are little-endian. The same bytes travel through the append
 * ring and into the journal, so what an agent thread writes is what lands on disk.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |           Checksum: CRC32C of every byte from offset 4        |  0
 *  +---------------------------------------------------------------+
 *  |                        Magic 'FKEV'                            |  4
 *  +-------------------------------+-------------------------------+
 *  |            Version            |             Kind              |  8
 *  +-------------------------------+-------------------------------+
 *  |                             Flags                             | 12
 *  +---------------------------------------------------------------+
 *  |                             Step                              | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                   Timestamp (epoch nanoseconds)               | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                           Branch Id                           | 32
 *  +---------------------------------------------------------------+
 *  |           Parent Branch Id (fork events only, else -1)        | 36
 *  +-------------------------------+-------------------------------+
 *  |          Key Length           |           Reserved            | 40
 *  +-------------------------------+-------------------------------+
 *  |                        Payload Length                         | 44
 *  +---------------------------------------------------------------+
 *  |                 Key: branch name, UTF-8 (Key Length)         ...  48
 *  +---------------------------------------------------------------+
 *  |                 Payload (Payload Length)                     ...
 *  +---------------------------------------------------------------+
 * </pre>
 * The checksum comes first so that it covers one contiguous range (header, key and payload) and can
 * be verified over read-only mapped memory in one pass.
 * <p>
 * The key is present only on {@code session.start} (the session id, which names the root branch) and
 * {@code fork} (the new branch's name); it lets a reader rebuild the branch table from the journal alone.
 */
final class EventHeaderDescriptor
{
    /** 'F','K','E','V' read as a little-endian int. */
    static final int MAGIC = 0x56454B46;
    static final short VERSION = 1;

    static final int CHECKSUM_OFFSET = 0;
    static final int MAGIC_OFFSET = 4;
    static final int VERSION_OFFSET = 8;
    static final int KIND_OFFSET = 10;
    static final int FLAGS_OFFSET = 12;
    static final int STEP_OFFSET = 16;
    static final int TIMESTAMP_OFFSET = 24;
    static final int BRANCH_ID_OFFSET = 32;
    static final int PARENT_BRANCH_ID_OFFSET = 36;
    static final int KEY_LENGTH_OFFSET = 40;
    static final int RESERVED_OFFSET = 42;
    static final int PAYLOAD_LENGTH_OFFSET = 44;

    /** The checksum covers the record from here to its end. */
    static final int CHECKSUMMED_OFFSET = 4;

    /** Length of the fixed header; the key starts here. */
    static final int HEADER_LENGTH = 48;

    /** Longest branch name in bytes: a 128-character session id plus "/" and a fork number. */
    static final int MAX_KEY_LENGTH = 160;

    private EventHeaderDescriptor()
    {
    }

    /**
     * @param keyLength     bytes of the key.
     * @param payloadLength bytes of the payload.
     * @return the length of the whole stored event.
     */
    static int eventLength(final int keyLength, final int payloadLength)
    {
        return HEADER_LENGTH + keyLength + payloadLength;
    }
}
