package dev.forkline.kernel;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Whether a directory holds a store, and if it cannot be read, why, in the words of the operating system: a store
 * that cannot be read for lack of permission is not reported as no store at all.
 */
final class StoreDirectory
{
    private StoreDirectory()
    {
    }

    /**
     * @throws ForklineException {@code NO_STORE} when the directory holds no store; {@code IO_ERROR}, with the reason,
     *                           when it, or its journal, cannot be read.
     */
    static void requireStore(final Path directory)
    {
        final Path journal = directory.resolve(Journal.DIRECTORY);
        try
        {
            if (!Files.readAttributes(journal, BasicFileAttributes.class).isDirectory())
            {
                throw new ForklineException(ForklineException.Reason.NO_STORE,
                    "no Forkline store at " + directory + " (" + journal + " is not a directory)");
            }
            try (DirectoryStream<Path> ignored = Files.newDirectoryStream(journal))
            {
                // readable
            }
        }
        catch (final NoSuchFileException ex)
        {
            throw new ForklineException(ForklineException.Reason.NO_STORE, "no Forkline store at " + directory);
        }
        catch (final IOException ex)
        {
            if (Files.isRegularFile(directory))
            {
                throw new ForklineException(ForklineException.Reason.NO_STORE,
                    "no Forkline store at " + directory + " (it is a file)");
            }
            throw ForklineException.ioError("cannot read store " + directory, ex);
        }
    }
}
