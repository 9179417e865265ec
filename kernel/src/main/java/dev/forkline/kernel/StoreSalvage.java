package dev.forkline.kernel;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Implements {@link Store#salvage}: names what the damaged store lost ({@link CutJournalVerifier}), copies every
 * sound event into a new store ({@link SalvageCopy}) in a hidden directory next to the target, forces it to disk and
 * renames it to the target. The damaged store is only read, under a shared lock that keeps writers out meanwhile.
 * <p>
 * Design note: both passes read the journal files through a file channel, never mapped, whether or not the store
 * opens. One way of reading serves the store whose file was cut (which must not be mapped) and the store with a
 * damaged record alike; it sees every record in journal order, damaged ones included, with its file and offset; and
 * it needs neither the index snapshot, which in a damaged store may not match the journal, nor Chronicle's own
 * index. The store is read twice, once for the account of what it lost (the same as {@code forkline verify}) and
 * once for the copy: a salvage is rare, and the account stays the verifier's.
 */
final class StoreSalvage
{
    private static final String TEMPORARY_SUFFIX = ".salvage-";

    private StoreSalvage()
    {
    }

    static SalvageReport salvage(final Path damaged, final Path target)
    {
        if (damaged == null || target == null)
        {
            throw new IllegalArgumentException("salvage needs a damaged store and a target directory");
        }
        JvmFlags.check();
        if (!Files.isDirectory(damaged.resolve(Journal.DIRECTORY)))
        {
            throw new ForklineException(ForklineException.Reason.NO_STORE, "no Forkline store at " + damaged);
        }
        final Path destination = checkTarget(damaged, target);
        final StoreLock lock = StoreLock.acquireShared(damaged);
        try
        {
            return copy(damaged, target, destination);
        }
        finally
        {
            if (lock != null)
            {
                lock.close();
            }
        }
    }

    private static SalvageReport copy(final Path damaged, final Path target, final Path destination)
    {
        final CutJournalVerifier account = CutJournalVerifier.read(damaged, JournalFileCheck.find(damaged));
        final VerifyReport source = account.report();
        final Path temporary = createTemporary(destination);
        final SalvageCopy copy;
        try
        {
            try (Store store = Store.open(temporary))
            {
                copy = SalvageCopy.copy(damaged, store, account.committedBatches());
            }
            force(temporary);
        }
        catch (final ForklineException ex)
        {
            final String left = delete(temporary) ? "nothing was written to " + target :
                "nothing was written to " + target + " but a partial copy is left in " + temporary;
            throw new ForklineException(ex.reason(), "salvage of " + damaged + " failed (" + left +
                "; the damaged store is unchanged): " + ex.getMessage(), ex);
        }
        catch (final RuntimeException | Error ex)
        {
            delete(temporary);
            throw ex;
        }
        move(temporary, destination);
        return copy.report(source);
    }

    /**
     * @return the target as an absolute path.
     * @throws IllegalArgumentException when it is not an empty directory, or lies inside the damaged store.
     */
    private static Path checkTarget(final Path damaged, final Path target)
    {
        final Path destination = target.toAbsolutePath().normalize();
        if (destination.getParent() == null)
        {
            throw new IllegalArgumentException("cannot salvage into " + target + ": it is a root directory");
        }
        try
        {
            if (realPath(destination).startsWith(damaged.toRealPath()))
            {
                throw new IllegalArgumentException("cannot salvage into " + target + ": it is inside the damaged store " +
                    damaged + ", which salvage never writes");
            }
        }
        catch (final IOException ex)
        {
            throw io("cannot resolve " + target, ex);
        }
        if (Files.exists(target))
        {
            if (!Files.isDirectory(target))
            {
                throw new IllegalArgumentException("cannot salvage into " + target + ": it is not a directory");
            }
            try (Stream<Path> entries = Files.list(target))
            {
                if (entries.findAny().isPresent())
                {
                    throw new IllegalArgumentException("cannot salvage into " + target +
                        ": it is not empty (salvage writes a new store into a new or empty directory)");
                }
            }
            catch (final IOException ex)
            {
                throw io("cannot read directory " + target, ex);
            }
        }
        return destination;
    }

    /**
     * @return {@code path} with its longest existing part resolved to the real path (symbolic links followed).
     */
    private static Path realPath(final Path path) throws IOException
    {
        Path existing = path;
        while (existing != null && !Files.exists(existing))
        {
            existing = existing.getParent();
        }
        return existing == null ? path : existing.toRealPath().resolve(existing.relativize(path));
    }

    /**
     * @return a new hidden directory next to the target, on the same file system, so the rename at the end is atomic;
     * made as the store's own directory would be (not with the owner-only permissions of a temporary directory).
     */
    private static Path createTemporary(final Path destination)
    {
        final Path parent = destination.getParent();
        final String prefix = "." + destination.getFileName() + TEMPORARY_SUFFIX + ProcessHandle.current().pid() + "-";
        try
        {
            Files.createDirectories(parent);
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    return Files.createDirectory(parent.resolve(prefix + attempt));
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
            throw io("cannot create a directory next to " + destination, ex);
        }
    }

    /**
     * Forces every file of the new store to disk, then the directories, so that the rename publishes a store that is
     * whole.
     */
    private static void force(final Path directory)
    {
        final List<Path> paths;
        try (Stream<Path> walk = Files.walk(directory))
        {
            paths = walk.sorted(Comparator.reverseOrder()).toList(); // files before the directories that hold them
        }
        catch (final IOException ex)
        {
            throw io("cannot list the new store " + directory, ex);
        }
        for (final Path path : paths)
        {
            final boolean isDirectory = Files.isDirectory(path);
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
            {
                channel.force(true);
            }
            catch (final IOException ex)
            {
                if (!isDirectory) // not every platform can force a directory
                {
                    throw io("cannot force " + path + " to disk", ex);
                }
            }
        }
    }

    private static void move(final Path temporary, final Path destination)
    {
        try
        {
            // replaces an empty directory at the destination; fails when something was put in it meanwhile
            Files.move(temporary, destination, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            throw io("cannot rename the salvaged store " + temporary + " to " + destination +
                " (the salvaged store is whole in " + temporary + ")", ex);
        }
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
     * @return true when the directory and everything in it is gone.
     */
    private static boolean delete(final Path directory)
    {
        try (Stream<Path> walk = Files.walk(directory))
        {
            for (final Path path : walk.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
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

    private static ForklineException io(final String what, final IOException ex)
    {
        return new ForklineException(ForklineException.Reason.IO_ERROR, what + ": " + ex, ex);
    }
}
