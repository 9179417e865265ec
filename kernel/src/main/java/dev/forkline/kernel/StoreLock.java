package dev.forkline.kernel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single-writer lock of a store: an OS file lock on {@code forkline.lock}, which the operating system
 * releases when the process dies, so a crashed writer never leaves the store locked. The file holds the
 * writer's pid for the error message a second writer gets.
 */
final class StoreLock implements AutoCloseable
{
    static final String FILE_NAME = "forkline.lock";

    /** The lock files this JVM holds for writing. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final FileChannel channel;
    private final FileLock lock;
    private final Path held;

    private StoreLock(final FileChannel channel, final FileLock lock, final Path held)
    {
        this.channel = channel;
        this.lock = lock;
        this.held = held;
    }

    static StoreLock acquire(final Path storeDir)
    {
        final Path file = storeDir.resolve(FILE_NAME);
        FileChannel channel = null;
        try
        {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try
            {
                lock = channel.tryLock();
            }
            catch (final OverlappingFileLockException ex)
            {
                lock = null;
            }
            if (lock == null)
            {
                channel.close();
                throw new ForklineException(
                    ForklineException.Reason.STORE_LOCKED,
                    "store " + storeDir + " is being written by another writer (" + holder(file) + "); " +
                    "open it read-only to read while it is written");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(
                ("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            final Path held = file.toRealPath();
            HELD.add(held);
            return new StoreLock(channel, lock, held);
        }
        catch (final IOException ex)
        {
            closeQuietly(channel);
            throw ForklineException.ioError("cannot lock store " + storeDir, ex);
        }
    }

    /**
     * Takes a shared lock on the store's lock file, without writing anything: for a reader that needs the store to stay
     * as it is while it reads (a salvage). Writers cannot take the store until the lock is closed.
     *
     * @return the lock, or null when the store has no lock file (it was never opened for writing where it is now).
     * @throws ForklineException {@code STORE_LOCKED} while a writer holds the store, {@code IO_ERROR}.
     */
    static StoreLock acquireShared(final Path storeDir)
    {
        final Path file = storeDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file))
        {
            return null;
        }
        FileChannel channel = null;
        try
        {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            FileLock lock;
            try
            {
                lock = channel.tryLock(0, Long.MAX_VALUE, true);
            }
            catch (final OverlappingFileLockException ex)
            {
                lock = null;
            }
            if (lock == null)
            {
                channel.close();
                throw new ForklineException(ForklineException.Reason.STORE_LOCKED,
                    "store " + storeDir + " is being written by another writer (" + holder(file) + ")");
            }
            return new StoreLock(channel, lock, null);
        }
        catch (final IOException ex)
        {
            closeQuietly(channel);
            throw ForklineException.ioError("cannot lock store " + storeDir, ex);
        }
    }

    /**
     * Tells, without touching the lock (closing a second channel on a locked file would release this JVM's lock), whether
     * the last writer of the store may still be running: the process whose pid the lock file holds is alive.
     *
     * @return false when there is no lock file, it names no process, or that process is gone.
     */
    static boolean lastWriterAlive(final Path storeDir)
    {
        final Path file = storeDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file))
        {
            return false;
        }
        final String text = holder(file);
        if (!text.startsWith("pid "))
        {
            return false;
        }
        try
        {
            final long pid = Long.parseLong(text.substring(4).trim());
            if (pid == ProcessHandle.current().pid())
            {
                return HELD.contains(file.toRealPath());
            }
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        catch (final NumberFormatException | IOException ex)
        {
            return false;
        }
    }

    private static String holder(final Path file)
    {
        try
        {
            final String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return text.isEmpty() ? "process unknown" : text;
        }
        catch (final IOException ex)
        {
            return "process unknown";
        }
    }

    private static void closeQuietly(final FileChannel channel)
    {
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // already failing; the first error is the one to report
            }
        }
    }

    @Override
    public void close()
    {
        if (held != null)
        {
            HELD.remove(held);
        }
        try
        {
            lock.release();
        }
        catch (final IOException ignore)
        {
            // the channel close below releases it too
        }
        closeQuietly(channel);
    }
}
