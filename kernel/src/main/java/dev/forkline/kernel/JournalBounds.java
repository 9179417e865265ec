package dev.forkline.kernel;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.bytes.MappedFile;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Checks that a journal record lies inside its file before anything reads it.
 * <p>
 * Design note: the journal is memory-mapped. A store does not open with a journal file that was cut short
 * ({@link JournalFileCheck}), but a file can still be cut while a store has it open (truncated by hand, a copy
 * tool): its records then claim bytes past the new end, and touching those pages raises SIGBUS: Unsafe reads turn
 * it into an {@link InternalError}, but the CRC32C intrinsic crashes the JVM. Comparing the record's end with the
 * file's size first turns the record the cut split into a damaged record. The size is cached per file and asked
 * again only when a record seems to run past it, so the check costs a compare.
 * <p>
 * Threading: one instance per reader.
 */
final class JournalBounds
{
    private MappedFile file;
    private long size;
    private String problem;

    /**
     * @return what was wrong with the last record that did not lie inside its file.
     */
    String problem()
    {
        return problem;
    }

    void problem(final String problem)
    {
        this.problem = problem;
    }

    /**
     * @return true when the record of {@code length} bytes {@code dc} is reading lies inside its file.
     */
    boolean contains(final DocumentContext dc, final int length)
    {
        final Bytes<?> bytes = dc.wire().bytes();
        if (!(bytes instanceof MappedBytes))
        {
            return true;
        }
        final MappedFile mapped = ((MappedBytes)bytes).mappedFile();
        final long end = bytes.readPosition() + length;
        if (mapped != file || end > size)
        {
            file = mapped;
            size = mapped.actualSize();
        }
        if (end <= size)
        {
            return true;
        }
        problem = "record at offset " + bytes.readPosition() + " runs past the end of " + mapped.file() + " (" + size +
            " bytes): the journal file was cut short";
        return false;
    }

    /**
     * @return the message for a fault raised while reading a mapped journal file.
     */
    static String fault(final InternalError error)
    {
        return "reading the journal faulted (" + error.getMessage() + "): a journal file was cut short";
    }
}
