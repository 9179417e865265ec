package dev.forkline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where benchmarks keep their data: {@code $FORKLINE_BENCH_DIR}, or {@code forkline-bench} in the temporary
 * directory.
 */
public final class BenchDirs
{
    private BenchDirs()
    {
    }

    /**
     * @return the root of all benchmark data, created if missing.
     */
    public static Path root()
    {
        final String configured = System.getenv("FORKLINE_BENCH_DIR");
        final Path root = configured != null && !configured.isEmpty() ?
            Path.of(configured) : Path.of(System.getProperty("java.io.tmpdir"), "forkline-bench");
        try
        {
            return Files.createDirectories(root);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @return a new empty directory under {@link #root()}, for data that lives one trial.
     */
    public static Path fresh(final String prefix)
    {
        try
        {
            return Files.createTempDirectory(root(), prefix + "-");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Deletes a directory and everything under it; quietly does nothing when it is missing.
     */
    public static void delete(final Path directory)
    {
        if (directory == null || !Files.exists(directory))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
