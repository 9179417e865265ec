package dev.forkline.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Implements {@link Store#salvage}: names what the damaged store lost ({@link CutJournalVerifier}), copies every
 * sound event into a new store ({@link SalvageCopy}) in a hidden directory next to the target
 * ({@link SalvageDirectory}), forces it to disk and renames it to the target. The damaged store is only read, under a
 * shared lock that keeps writers out meanwhile.
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
        StoreDirectory.requireStore(damaged);
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
        try (SalvageDirectory temporary = SalvageDirectory.create(destination))
        {
            final SalvageCopy copy;
            try
            {
                try (Store store = Store.open(temporary.path()))
                {
                    copy = SalvageCopy.copy(damaged, store, account.committedBatches());
                }
                temporary.force();
            }
            catch (final ForklineException ex)
            {
                final String left = temporary.remove() ? "nothing was written to " + target :
                    "nothing was written to " + target + " but a partial copy is left in " + temporary.path();
                throw new ForklineException(ex.reason(), "salvage of " + damaged + " failed (" + left +
                    "; the damaged store is unchanged): " + ex.getMessage(), ex);
            }
            catch (final RuntimeException | Error ex)
            {
                temporary.remove();
                throw ex;
            }
            temporary.moveTo(destination);
            return copy.report(source);
        }
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
            throw ForklineException.ioError("cannot resolve " + target, ex);
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
                throw ForklineException.ioError("cannot read directory " + target, ex);
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
}
