package dev.forkline.kernel;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The part of {@link Store#verify()} that reads the journal's metadata, where seal records are (the whole area after a
 * store's last event, once it has been closed, is seal records): every seal record whole, by its checksum; no metadata
 * that is neither Chronicle's nor a seal; and at the end of the newest journal file, no whole seal record whose
 * header word says it is unfinished, which every reader would stop at.
 * <p>
 * Design note: a damaged seal record costs no event, but it takes away the proof that the events it sealed are as
 * they were recorded, and left alone it would have {@code verify --chain} call those events changed. So plain
 * {@code verify}, which never computes a chain, reports it from its checksum. An unfinished record at the end is what
 * a writer that died while writing leaves (and the next writer writes over); only a seal record that is whole there,
 * and still unfinished a moment later, is a damaged header word.
 * <p>
 * Threading: the caller's; it opens its own tailer and reader.
 */
final class SealCheck
{
    private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Larger than the longest seal record the journal thread writes. */
    private static final int WINDOW = 64 * 1024;

    private SealCheck()
    {
    }

    static void check(final Journal journal, final Path storeDir, final Consumer<VerifyReport.Damage> damage)
    {
        final UnsafeBuffer record = new UnsafeBuffer(0, 0);
        final JournalBounds bounds = new JournalBounds();
        try (ExcerptTailer tailer = journal.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument(true))
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    if (!dc.isMetaData())
                    {
                        continue;
                    }
                    final long offset = dc.wire().bytes().readPosition();
                    final int length = Journal.wrap(record, dc, bounds);
                    if (length < 0)
                    {
                        break; // a cut: the pass over the events reports it
                    }
                    final String problem = ChainSealDescriptor.problem(record, length);
                    if (problem != null)
                    {
                        final File file = tailer.currentFile();
                        damage.accept(new VerifyReport.Damage(dc.index(), String.valueOf(file), offset, problem, null, null));
                    }
                }
            }
        }
        catch (final InternalError fault)
        {
            // a journal file cut under the store: the pass over the events reports it
        }
        unfinishedSeal(storeDir, damage);
    }

    /**
     * Reports a whole seal record at the end of the newest journal file whose header word says it is unfinished.
     */
    private static void unfinishedSeal(final Path storeDir, final Consumer<VerifyReport.Damage> damage)
    {
        final List<Path> files = JournalFileCheck.journalFiles(storeDir);
        if (files.isEmpty())
        {
            return;
        }
        final Path file = files.get(files.size() - 1);
        try (JournalFileReader reader = new JournalFileReader(WINDOW))
        {
            long offset = -1;
            for (int look = 0; look < 2; look++)
            {
                reader.open(file);
                if (reader.readHeader() != JournalFileReader.Header.READ)
                {
                    return;
                }
                JournalFileReader.Found found = reader.moveTo(Math.max(reader.writePosition(), reader.firstDocument()));
                while (found == JournalFileReader.Found.DOCUMENT)
                {
                    found = reader.next();
                }
                final DirectBuffer unfinished = found == JournalFileReader.Found.END && reader.isMetaData() ?
                    reader.unfinishedDocument() : null;
                if (unfinished == null || ChainSealDescriptor.entryCount(unfinished, unfinished.capacity()) <= 0 ||
                    ChainSealDescriptor.problem(unfinished, unfinished.capacity()) != null ||
                    offset >= 0 && offset != reader.position())
                {
                    return;
                }
                offset = reader.position();
                if (look == 0)
                {
                    LockSupport.parkNanos(SETTLE_NANOS); // a writer may be finishing it
                }
            }
            damage.accept(new VerifyReport.Damage(-1, file.toString(), offset, "a whole seal record whose header word " +
                "says it is unfinished: the header word was damaged, and every reader stops here", null, null));
        }
        catch (final IOException ex)
        {
            throw ForklineException.ioError("cannot read journal file " + file, ex);
        }
    }
}
