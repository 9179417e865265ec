package dev.forkline.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Finds journal files that were cut short (copied in part, truncated by hand, a disk that lost their tail) before
 * Chronicle maps any of them.
 * <p>
 * Design note: Chronicle reads a journal file through a memory mapping, and a mapped page past the end of the
 * file raises SIGBUS when touched: an asynchronous {@link InternalError} that can surface anywhere, or a crash.
 * A cut file must therefore be found without mapping it. The check reads the file's header document and its
 * write position (the last data document, see {@link JournalFileDescriptor}), then steps through the documents
 * from there on, reading only their header words: the last event and whatever metadata followed it (seal records
 * written after the last event, an index array). Every document before the write position ends before it, so
 * when these lie inside the file, so does everything. The cost does not grow with the journal: a read of the
 * header and one of each document after the last event. A store that bulk-loaded events and sealed them later has
 * many seal records after its last event; when the index snapshot saw the newest file end at an offset past them
 * and the file still has that last event and size, the walk starts at that offset instead.
 * <p>
 * Threading: any thread; it holds nothing between calls.
 */
final class JournalFileCheck
{
    /** A journal file that was cut short: its size on disk, and the offset its records reach at least. */
    record Cut(Path file, long size, long reach)
    {
    }

    private static final String SUFFIX = ".cq4";
    private static final int WINDOW = 64 * 1024;
    /** A writer creates a new cycle's file empty, then grows it and writes its header: an empty newest file may be one. */
    private static final long NEW_FILE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private JournalFileCheck()
    {
    }

    /**
     * @throws ForklineException {@code CORRUPT_JOURNAL} naming the first journal file that was cut short.
     */
    static void requireWhole(final Path storeDir)
    {
        requireWhole(storeDir, null);
    }

    /**
     * Checks every journal file. When the newest still ends, as far as {@code snapshot} saw it, where the snapshot
     * saw it end, it is checked from that end, not from its last event: the records between them (seal records)
     * were whole when the snapshot was taken, and the file has not been cut below them since.
     *
     * @param snapshot the index snapshot the store will open with, or null.
     * @throws ForklineException {@code CORRUPT_JOURNAL} naming the first journal file that was cut short.
     */
    static void requireWhole(final Path storeDir, final IndexSnapshot.Loaded snapshot)
    {
        final List<Cut> cuts = find(storeDir, snapshot);
        if (!cuts.isEmpty())
        {
            final Cut cut = cuts.get(0);
            throw new ForklineException(ForklineException.Reason.CORRUPT_JOURNAL, "journal file " + cut.file() +
                " was cut short: " + cut.size() + " bytes on disk, but its records reach offset " + cut.reach() +
                (cuts.size() > 1 ? " (and " + (cuts.size() - 1) + " more journal files were cut short)" : "") +
                "; the store cannot be opened: run 'forkline verify --store " + storeDir + "' to see what was lost");
        }
    }

    /**
     * Finds where the journal ends now, for the snapshot a closing writer takes: the newest file, its write
     * position and the offset after its last record.
     *
     * @return the end, or null when it cannot be told (no journal, a header not written, a file cut short).
     */
    static IndexSnapshot.JournalEnd end(final Path storeDir)
    {
        final List<Path> files = journalFiles(storeDir);
        if (files.isEmpty())
        {
            return null;
        }
        final Path file = files.get(files.size() - 1);
        try (JournalFileReader reader = new JournalFileReader(WINDOW))
        {
            reader.open(file);
            if (reader.readHeader() != JournalFileReader.Header.READ)
            {
                return null;
            }
            JournalFileReader.Found found = reader.moveTo(Math.max(reader.writePosition(), reader.firstDocument()));
            while (found == JournalFileReader.Found.DOCUMENT)
            {
                found = reader.next();
            }
            return found == JournalFileReader.Found.END ?
                new IndexSnapshot.JournalEnd(file.getFileName().toString(), reader.writePosition(), reader.position()) : null;
        }
        catch (final IOException ex)
        {
            return null; // the next open checks the whole of the newest file's tail instead
        }
    }

    /**
     * @return the journal files that were cut short, in journal order; empty when there are none.
     * @throws ForklineException {@code IO_ERROR} when a journal file cannot be read.
     */
    static List<Cut> find(final Path storeDir)
    {
        return find(storeDir, null);
    }

    private static List<Cut> find(final Path storeDir, final IndexSnapshot.Loaded snapshot)
    {
        final List<Path> files = journalFiles(storeDir);
        final List<Cut> cuts = new ArrayList<>();
        Path file = null;
        try (JournalFileReader reader = new JournalFileReader(WINDOW))
        {
            for (int i = 0; i < files.size(); i++)
            {
                file = files.get(i);
                final boolean newest = i == files.size() - 1;
                final Cut cut = check(reader, file, newest, newest ? snapshot : null);
                if (cut != null)
                {
                    cuts.add(cut);
                }
            }
        }
        catch (final IOException ex)
        {
            throw ForklineException.ioError("cannot read journal file " + file, ex);
        }
        return cuts;
    }

    /**
     * @return the journal files of a store, in journal order (their names sort by cycle); empty when there is no
     * journal.
     */
    static List<Path> journalFiles(final Path storeDir)
    {
        final Path directory = storeDir.resolve(Journal.DIRECTORY);
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(f -> f.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(f)).sorted().toList();
        }
        catch (final NoSuchFileException ex)
        {
            return List.of();
        }
        catch (final IOException ex)
        {
            throw ForklineException.ioError("cannot list journal " + directory, ex);
        }
    }

    private static Cut check(
        final JournalFileReader reader,
        final Path file,
        final boolean newest,
        final IndexSnapshot.Loaded snapshot)
        throws IOException
    {
        reader.open(file);
        JournalFileReader.Header header = reader.readHeader();
        final long deadline = System.nanoTime() + NEW_FILE_WAIT_NANOS;
        while (newest && header == JournalFileReader.Header.CUT &&
            reader.size() < JournalFileDescriptor.HEADER_WORD_LENGTH && System.nanoTime() < deadline)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            reader.open(file);
            header = reader.readHeader();
        }
        if (header == JournalFileReader.Header.CUT)
        {
            return new Cut(file, reader.size(), reader.reach());
        }
        if (header != JournalFileReader.Header.READ)
        {
            return null; // not written yet, or a layout this check does not know: left to Chronicle
        }
        JournalFileReader.Found found = reader.moveTo(sawEnd(reader, file, snapshot) ?
            snapshot.end().offset() : Math.max(reader.writePosition(), reader.firstDocument()));
        while (found == JournalFileReader.Found.DOCUMENT)
        {
            found = reader.next();
        }
        return found == JournalFileReader.Found.CUT ? new Cut(file, reader.size(), reader.reach()) : null;
    }

    /**
     * @return true when {@code snapshot} saw this file end where it can be checked from: the same file, the same
     * last event (write position, and the checksum the snapshot's mark has), and the file not cut below that end.
     */
    private static boolean sawEnd(final JournalFileReader reader, final Path file, final IndexSnapshot.Loaded snapshot)
        throws IOException
    {
        final IndexSnapshot.JournalEnd end = snapshot == null ? null : snapshot.end();
        if (end == null || !end.file().equals(file.getFileName().toString()) || end.writePosition() != reader.writePosition() ||
            reader.writePosition() <= 0 || end.offset() <= reader.writePosition() ||
            end.offset() + JournalFileDescriptor.HEADER_WORD_LENGTH > reader.size())
        {
            return false;
        }
        if (reader.moveTo(reader.writePosition()) != JournalFileReader.Found.DOCUMENT || reader.isMetaData())
        {
            return false;
        }
        final org.agrona.DirectBuffer event = reader.documentStart(Integer.BYTES);
        return event != null && event.getInt(0, java.nio.ByteOrder.LITTLE_ENDIAN) == snapshot.markChecksum();
    }
}
