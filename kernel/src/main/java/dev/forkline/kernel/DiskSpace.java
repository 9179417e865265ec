package dev.forkline.kernel;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The free-space guard of a writing store.
 * <p>
 * Design note: the journal is memory-mapped, and a store into a mapped page that a full file system cannot
 * back raises SIGBUS, which kills the JVM and leaves a record whose header was written and whose payload was
 * not. Checking the free space before writing (one statfs call a megabyte) turns a full disk into an error
 * the agent can see, with the journal intact.
 */
final class DiskSpace
{
    private final Path directory;
    private final FileStore fileStore;
    private final long reserve;

    DiskSpace(final Path directory, final long reserve)
    {
        this.directory = directory;
        this.reserve = reserve;
        try
        {
            this.fileStore = Files.getFileStore(directory);
        }
        catch (final IOException ex)
        {
            throw new ForklineException(ForklineException.Reason.IO_ERROR,
                "cannot read the file system of " + directory + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * @throws ForklineException {@code DISK_FULL} when less than the reserve is free.
     */
    void check()
    {
        final long free;
        try
        {
            free = fileStore.getUsableSpace();
        }
        catch (final IOException ex)
        {
            throw new ForklineException(ForklineException.Reason.IO_ERROR,
                "cannot read the free space of " + directory + ": " + ex.getMessage(), ex);
        }
        if (free < reserve)
        {
            throw new ForklineException(ForklineException.Reason.DISK_FULL,
                "disk full: " + (free >> 20) + " MiB free under " + directory + ", the store keeps " + (reserve >> 20) +
                " MiB in reserve; appending stopped, the store stays readable");
        }
    }
}
