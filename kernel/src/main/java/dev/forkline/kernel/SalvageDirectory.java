package dev.forkline.kernel;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The hidden directory a salvage writes its new store into, {@code .NAME.salvage-PID-N} next to the target
 * {@code NAME} (on the same file system, so the rename that publishes it is atomic), until it is renamed to the
 * target.
 * <p>
 * It does not outlive its salvage: a salvage that fails removes it; so does a shutdown hook when the process is
 * stopped by SIGINT (Ctrl-C) or SIGTERM; and one left by a process killed outright (SIGKILL, a crash) is removed by
 * the next salvage into the same target, once its process is gone. A process is gone when no process has its pid, or
 * when the one that has it started after the directory was last changed (the pid was reused).
 * <p>
 * Threading: the salvage's thread, and the shutdown hook, which may run while the salvage still writes; the rename
 * and the removal exclude each other, so the hook never removes a published store and a store the hook has begun to
 * remove is never published.
 */
final class SalvageDirectory implements AutoCloseable
{
    private static final String INFIX = ".salvage-";
    /** How much later than the directory's last change a process must have started to be another with the same pid. */
    private static final long PID_REUSE_MARGIN_SECONDS = 2;

    private final Path path;
    private final Thread hook;
    private boolean stopped;
    private boolean published;

    private SalvageDirectory(final Path path)
    {
        this.path = path;
        this.hook = new Thread(this::stop, "forkline-salvage-cleanup");
    }

    /**
     * Removes the hidden directories that salvages into {@code destination} which are gone left behind, and makes the
     * one of this salvage, as the store's own directory would be (not with the owner-only permissions of a temporary
     * directory).
     */
    static SalvageDirectory create(final Path destination)
    {
        final Path parent = destination.getParent();
        final String prefix = prefix(destination);
        try
        {
            Files.createDirectories(parent);
            removeStale(parent, prefix);
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    final SalvageDirectory directory = new SalvageDirectory(
                        Files.createDirectory(parent.resolve(prefix + ProcessHandle.current().pid() + "-" + attempt)));
                    Runtime.getRuntime().addShutdownHook(directory.hook);
                    return directory;
                }
                catch (final FileAlreadyExistsException ex)
                {
                    if (attempt == 99)
                    {
                        throw ex;
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            throw ForklineException.ioError("cannot create a directory next to " + destination, ex);
        }
    }

    Path path()
    {
        return path;
    }

    /**
     * Forces every file of the new store to disk, then the directories, so that the rename publishes a store that is
     * whole.
     */
    void force()
    {
        final List<Path> paths;
        try (Stream<Path> walk = Files.walk(path))
        {
            paths = walk.sorted(Comparator.reverseOrder()).toList(); // files before the directories that hold them
        }
        catch (final IOException ex)
        {
            throw ForklineException.ioError("cannot list the new store " + path, ex);
        }
        for (final Path entry : paths)
        {
            final boolean isDirectory = Files.isDirectory(entry);
            try (FileChannel channel = FileChannel.open(entry, StandardOpenOption.READ))
            {
                channel.force(true);
            }
            catch (final IOException ex)
            {
                if (!isDirectory) // not every platform can force a directory
                {
                    throw ForklineException.ioError("cannot force " + entry + " to disk", ex);
                }
            }
        }
    }

    /**
     * Renames the directory to {@code destination}, which must not exist or be an empty directory.
     */
    synchronized void moveTo(final Path destination)
    {
        if (stopped)
        {
            throw new ForklineException(ForklineException.Reason.IO_ERROR, "the process is stopping: the salvaged store " +
                "in " + path + " is not renamed to " + destination);
        }
        try
        {
            // replaces an empty directory at the destination; fails when something was put in it meanwhile
            Files.move(path, destination, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            throw ForklineException.ioError("cannot rename the salvaged store " + path + " to " + destination +
                " (the salvaged store is whole in " + path + ")", ex);
        }
        published = true;
        try (FileChannel parent = FileChannel.open(destination.getParent(), StandardOpenOption.READ))
        {
            parent.force(true);
        }
        catch (final IOException ignore)
        {
            // not every platform can force a directory; the store itself is on disk
        }
    }

    /**
     * Removes the directory and everything in it, unless it was renamed to the target.
     *
     * @return true when it is gone.
     */
    synchronized boolean remove()
    {
        return published || delete(path);
    }

    @Override
    public void close()
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException shuttingDown)
        {
            // the hook runs, or has run
        }
    }

    private synchronized void stop()
    {
        stopped = true;
        if (!published)
        {
            delete(path);
        }
    }

    private static void removeStale(final Path parent, final String prefix) throws IOException
    {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, prefix + "*"))
        {
            for (final Path entry : entries)
            {
                final String rest = entry.getFileName().toString().substring(prefix.length());
                final int dash = rest.indexOf('-');
                final String pid = dash < 0 ? "" : rest.substring(0, dash);
                if (!pid.isEmpty() && pid.length() < 19 && pid.chars().allMatch(c -> c >= '0' && c <= '9') &&
                    Files.isDirectory(entry) && isGone(Long.parseLong(pid), entry))
                {
                    delete(entry);
                }
            }
        }
    }

    /**
     * @return true when the process {@code pid} that wrote {@code directory} has ended.
     */
    private static boolean isGone(final long pid, final Path directory) throws IOException
    {
        final Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty())
        {
            return true;
        }
        final Optional<Instant> started = process.get().info().startInstant();
        try
        {
            final Instant changed = Files.getLastModifiedTime(directory).toInstant();
            return started.isPresent() && started.get().isAfter(changed.plusSeconds(PID_REUSE_MARGIN_SECONDS));
        }
        catch (final NoSuchFileException ex)
        {
            return false; // removed meanwhile
        }
    }

    /**
     * @return true when the directory and everything in it is gone.
     */
    private static boolean delete(final Path directory)
    {
        try (Stream<Path> walk = Files.walk(directory))
        {
            for (final Path entry : walk.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(entry);
            }
            return true;
        }
        catch (final NoSuchFileException ex)
        {
            return true;
        }
        catch (final IOException | RuntimeException ex)
        {
            return false; // already failing: the first error is the one to report
        }
    }

    private static String prefix(final Path destination)
    {
        return "." + destination.getFileName() + INFIX;
    }
}
