package dev.forkline.kernel;

/**
 * Layout of a journal file ({@code <store>/journal/*.cq4}, a Chronicle Queue file in binary wire) as far as the
 * kernel reads it itself, through a file channel and never through a mapping: a header document, then one
 * document per excerpt. Every document starts with a 4-byte little-endian header word:
 * <pre>
 *  +---------------------------------------------------------------+
 *  |   Header word, int32: bit 31 N, bit 30 M, bits 0..29 Length    |  0
 *  +---------------------------------------------------------------+
 *  |                    Document bytes (Length)                   ...  4
 *  +---------------------------------------------------------------+
 *  N: not complete: being written, or left unfinished by a writer that died.
 *  M: metadata: Chronicle's header and index arrays, Forkline's seal records. Else data: one event.
 *  A word of 0 is where nothing has been written yet; N|M with length 0 ends a file whose cycle was rolled.
 * </pre>
 * The next document starts at the next multiple of 4 after a document's end when the file's {@code dataFormat}
 * is above 0 (Chronicle then pads so that no header word straddles a cache line), else right at its end.
 * <p>
 * The header document (at offset 0, metadata) is a binary-wire map, of which the kernel reads {@code writePosition}
 * and {@code dataFormat}:
 * <pre>
 *  header: !SCQStore {
 *    writePosition: [position, sequence word]   the last data document, and its sequence (see below)
 *    indexing: !SCQSIndexing { indexCount, indexSpacing, index2Index, lastIndex }
 *    dataFormat: 1
 *  }
 * </pre>
 * A field is a byte {@code 0xC0 + name length} and the name, then any padding ({@code 0x8F}, or {@code 0x8E}
 * and an int32 count of bytes to skip), then the value: for {@code writePosition} an {@code 0x8D} long array
 * (int64 capacity, int64 count, then the values) or a single {@code 0xA7} int64. The sequence word is
 * {@code (int)position << shift | sequence}, {@code shift} being 32 for the roll cycle of the journal.
 * <p>
 * Chronicle sets {@code writePosition} when a data document is complete (never for metadata) and never lowers
 * it. Its index arrays are metadata documents, each before that position or after it, and every entry in them
 * points at a data document at or before it. A writer extends a file by whole chunks before writing into it,
 * and Chronicle 2026.x never shrinks one (older versions shrank a rolled file to just after its end-of-file
 * word). So in a whole file, the documents from the write position on, and the word after the last of them,
 * lie inside the file; and the documents before that position end before it.
 */
final class JournalFileDescriptor
{
    /** Bytes of a document's header word. */
    static final int HEADER_WORD_LENGTH = 4;
    static final int LENGTH_MASK = 0x3FFF_FFFF;
    static final int META_DATA = 0x4000_0000;
    static final int NOT_COMPLETE = 0x8000_0000;
    /** The word that ends a file whose cycle was rolled. */
    static final int END_OF_FILE = NOT_COMPLETE | META_DATA;

    /** Binary-wire codes of the header fields read. */
    static final int FIELD_NAME0 = 0xC0;
    static final int PADDING = 0x8F;
    static final int PADDING32 = 0x8E;
    static final int I64_ARRAY = 0x8D;
    static final int INT64 = 0xA7;
    static final int UINT8 = 0xA1;
    static final int UINT16 = 0xA2;
    static final int INT8 = 0xA4;
    static final int INT16 = 0xA5;
    static final int INT32 = 0xA6;

    static final String WRITE_POSITION_FIELD = "writePosition";
    static final String DATA_FORMAT_FIELD = "dataFormat";

    /** Longest header document read: Chronicle's is about 200 bytes. */
    static final int MAX_HEADER_LENGTH = 4096;

    private JournalFileDescriptor()
    {
    }

    /**
     * @return true when {@code word} starts a complete document (data or metadata).
     */
    static boolean isComplete(final int word)
    {
        return word != 0 && (word & NOT_COMPLETE) == 0;
    }

    static boolean isMetaDataWord(final int word)
    {
        return (word & META_DATA) != 0;
    }

    static int lengthOf(final int word)
    {
        return word & LENGTH_MASK;
    }

    /**
     * @param end    the end of a document.
     * @param padded true when the file's {@code dataFormat} is above 0.
     * @return where the next document's header word is.
     */
    static long nextDocument(final long end, final boolean padded)
    {
        return padded ? (end + 3) & ~3L : end;
    }

    /**
     * @return the shift of the position in the sequence word, as Chronicle computes it for a roll cycle.
     */
    static int sequenceShift(final int indexCount, final int indexSpacing)
    {
        final int log2Count = 31 - Integer.numberOfLeadingZeros(indexCount);
        final int log2Spacing = 31 - Integer.numberOfLeadingZeros(indexSpacing);
        return Math.max(32, log2Count * 2 + log2Spacing);
    }
}
