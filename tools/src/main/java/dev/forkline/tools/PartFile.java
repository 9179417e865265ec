package dev.forkline.tools;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * The file an export writes until it is complete: {@code .NAME.PID.part} next to the target {@code NAME}, renamed
 * over the target once the export is complete, so the target is never seen half-written.
 * <p>
 * It does not outlive its export: a failed export removes it; so does a shutdown hook when the process is stopped
 * by SIGINT (Ctrl-C) or SIGTERM; and one left by a process killed outright (SIGKILL, a crash, a power loss) is
 * removed by the next export to the same target, once its process is gone. A process is gone when no process has
 * its pid, or when the one that has it started after the file was last written (the pid was reused).
 * <p>
 * Threading: the export's thread, and the shutdown hook, which may run while the export still writes.
 */
final class PartFile implements AutoCloseable
{
    private static final String SUFFIX = ".part";
    /** How much later than the file's last write a process must have started to be another with the same pid. */
    private static final long PID_REUSE_MARGIN_SECONDS = 2;

    private final Path target;
    private final Path file;
    private final Thread hook;
    private boolean stopped;
    private boolean published;

    private PartFile(final Path target)
    {
        this.target = target;
        this.file = target.resolveSibling(prefix(target) + ProcessHandle.current().pid() + SUFFIX);
        this.hook = new Thread(this::stop, "forkline-part-file");
    }

    /**
     * Removes the part files of the target that exports which are gone left behind, and makes the one of this export.
     *
     * @param target the absolute path of the file the export writes.
     */
    static PartFile create(final Path target) throws IOException
    {
        removeStale(target);
        final PartFile part = new PartFile(target);
        Runtime.getRuntime().addShutdownHook(part.hook);
        return part;
    }

    /**
     * @return a new stream onto the part file, which this creates.
     */
    synchronized OutputStream open() throws IOException
    {
        if (stopped)
        {
            throw new IOException("the process is stopping");
        }
        return Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /**
     * Renames the part file, complete and closed, over the target.
     */
    synchronized void publish() throws IOException
    {
        if (stopped)
        {
            throw new IOException("the process is stopping");
        }
        Files.move(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        published = true;
    }

    /**
     * Removes the part file unless it was published.
     */
    @Override
    public void close() throws IOException
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException shuttingDown)
        {
            // the hook runs, or has run
        }
        synchronized (this)
        {
            if (!published)
            {
                Files.deleteIfExists(file);
            }
        }
    }

    private synchronized void stop()
    {
        stopped = true;
        if (!published)
        {
            try
            {
                Files.deleteIfExists(file);
            }
            catch (final IOException ignore)
            {
                // the process is ending; the next export removes it
            }
        }
    }

    /**
     * Removes {@code .NAME.PID.part} files next to the target whose process is gone.
     */
    private static void removeStale(final Path target) throws IOException
    {
        final String prefix = prefix(target);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(target.getParent(), prefix + "*" + SUFFIX))
        {
            for (final Path entry : entries)
            {
                final String name = entry.getFileName().toString();
                final String pid = name.substring(prefix.length(), name.length() - SUFFIX.length());
                if (!pid.isEmpty() && pid.length() < 19 && pid.chars().allMatch(c -> c >= '0' && c <= '9') &&
                    isGone(Long.parseLong(pid), entry) && Files.isRegularFile(entry))
                {
                    Files.deleteIfExists(entry);
                }
            }
        }
        catch (final NoSuchFileException ex)
        {
            // no directory, no part files
        }
    }

    /**
     * @return true when the process {@code pid} that wrote {@code file} has ended.
     */
    private static boolean isGone(final long pid, final Path file) throws IOException
    {
        final Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty())
        {
            return true;
        }
        final Optional<Instant> started = process.get().info().startInstant();
        final Instant written;
        try
        {
            written = Files.getLastModifiedTime(file).toInstant();
        }
        catch (final NoSuchFileException ex)
        {
            return false; // removed meanwhile
        }
        return started.isPresent() && started.get().isAfter(written.plusSeconds(PID_REUSE_MARGIN_SECONDS));
    }

    private static String prefix(final Path target)
    {
        return "." + target.getFileName() + ".";
    }
}
