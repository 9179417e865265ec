package dev.forkline.kernel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The journal writers of the stores open for writing in this process, by store directory: a reader made here waits
 * for the journal thread to write what is still in its ring, so that it sees every append that returned before it
 * (read-your-writes, see {@link Store}). A reader in another process cannot see the ring and is not helped.
 * <p>
 * Threading: any thread.
 */
final class InProcessWriters
{
    private static final ConcurrentHashMap<Path, JournalWriter> WRITERS = new ConcurrentHashMap<>();

    private InProcessWriters()
    {
    }

    /**
     * @return the key of a store directory: the same for every path to it.
     */
    static Path key(final Path directory)
    {
        try
        {
            return directory.toRealPath();
        }
        catch (final IOException ex)
        {
            return directory.toAbsolutePath().normalize();
        }
    }

    static void add(final Path key, final JournalWriter writer)
    {
        WRITERS.put(key, writer);
    }

    static void remove(final Path key, final JournalWriter writer)
    {
        WRITERS.remove(key, writer);
    }

    /**
     * Waits for the writer of the store at {@code key} in this process, if there is one.
     */
    static void awaitWritten(final Path key)
    {
        final JournalWriter writer = WRITERS.get(key);
        if (writer != null)
        {
            awaitWritten(writer);
        }
    }

    /**
     * Waits until the journal thread has written every append published before the call (no msync).
     */
    static void awaitWritten(final JournalWriter writer)
    {
        try
        {
            writer.awaitWritten();
        }
        catch (final ForklineException ex)
        {
            // the journal thread failed: the failure goes to the writer's next append; a reader reads what was written
        }
    }
}
