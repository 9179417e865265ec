package dev.forkline.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a run ran on, and the ceilings of its storage: how fast a file can be written into the page cache, and
 * to the disk with {@code fdatasync}.
 */
public final class Machine
{
    private static final int ROUNDS = 3;

    private Machine()
    {
    }

    /**
     * @return processors, memory, CPU model, operating system, JVM and the file system of the benchmark data.
     */
    public static Map<String, String> describe()
    {
        final Map<String, String> machine = new LinkedHashMap<>();
        machine.put("processors", String.valueOf(Runtime.getRuntime().availableProcessors()));
        machine.put("memory", firstValue(Path.of("/proc/meminfo"), "MemTotal"));
        machine.put("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " +
            System.getProperty("os.arch"));
        machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        try
        {
            final FileStore store = Files.getFileStore(BenchDirs.root());
            machine.put("benchDir", BenchDirs.root() + " on " + store.name() + " (" + store.type() + ")");
        }
        catch (final IOException ex)
        {
            machine.put("benchDir", BenchDirs.root().toString());
        }
        return machine;
    }

    /**
     * Writes {@code megabytes} MiB to a new file in 1 MiB writes, timing the writes (page cache) and then the
     * writes plus {@code fdatasync} of a second file (disk).
     *
     * A third file is written through a memory mapping, 64 MiB at a time, the way Chronicle Queue writes its
     * journal. Each is measured three times; the best is the ceiling, and the first is kept too ({@code ...First}),
     * since on a virtual machine the first write into memory the guest has not touched lately can be far slower.
     *
     * @return {@code pageCacheWriteMBps}, {@code mappedWriteMBps} and {@code diskWriteMBps} (best of three) and the
     * same with {@code First} (the first of three), in MB/s (10^6 bytes).
     */
    public static Map<String, Double> ceilings(final int megabytes)
    {
        final Map<String, Double> ceilings = new LinkedHashMap<>();
        final Path directory = BenchDirs.fresh("ceilings");
        try
        {
            for (int round = 0; round < ROUNDS; round++)
            {
                // each file is deleted before the next is written, so that later rounds write into freed memory
                best(ceilings, "pageCacheWriteMBps", writeRate(directory.resolve("cache"), megabytes, false), round);
                Files.delete(directory.resolve("cache"));
                best(ceilings, "mappedWriteMBps", mappedWriteRate(directory.resolve("mapped"), megabytes), round);
                Files.delete(directory.resolve("mapped"));
                best(ceilings, "diskWriteMBps", writeRate(directory.resolve("disk"), megabytes, true), round);
                Files.delete(directory.resolve("disk"));
            }
        }
        catch (final IOException ex)
        {
            System.err.println("cannot measure the storage ceilings: " + ex);
        }
        finally
        {
            BenchDirs.delete(directory);
        }
        return ceilings;
    }

    /**
     * @return the ceilings as one line of text.
     */
    public static String render(final Map<String, Double> ceilings)
    {
        return String.format(Locale.ROOT,
            "page cache write %.0f MB/s (write(2), 1 MiB blocks; first of three %.0f MB/s), memory-mapped file write " +
            "%.0f MB/s (first %.0f MB/s), disk write with fdatasync %.0f MB/s (first %.0f MB/s)",
            ceilings.getOrDefault("pageCacheWriteMBps", Double.NaN), ceilings.getOrDefault("pageCacheWriteFirstMBps", Double.NaN),
            ceilings.getOrDefault("mappedWriteMBps", Double.NaN), ceilings.getOrDefault("mappedWriteFirstMBps", Double.NaN),
            ceilings.getOrDefault("diskWriteMBps", Double.NaN), ceilings.getOrDefault("diskWriteFirstMBps", Double.NaN));
    }

    private static double writeRate(final Path file, final int megabytes, final boolean sync) throws IOException
    {
        final ByteBuffer block = ByteBuffer.allocateDirect(1 << 20);
        while (block.hasRemaining())
        {
            block.put((byte)(block.position() * 31));
        }
        final long start = System.nanoTime();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            for (int i = 0; i < megabytes; i++)
            {
                block.clear();
                while (block.hasRemaining())
                {
                    channel.write(block);
                }
            }
            if (sync)
            {
                channel.force(false);
            }
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        return megabytes * (double)(1 << 20) / 1e6 / seconds;
    }

    private static void best(final Map<String, Double> ceilings, final String key, final double rate, final int round)
    {
        if (round == 0)
        {
            ceilings.put(key.replace("MBps", "FirstMBps"), rate);
        }
        ceilings.merge(key, rate, Math::max);
    }

    private static double mappedWriteRate(final Path file, final int megabytes) throws IOException
    {
        final int chunk = 64 << 20;
        final ByteBuffer block = ByteBuffer.allocateDirect(1 << 20);
        final long length = (long)megabytes << 20;
        final long start = System.nanoTime();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE))
        {
            for (long offset = 0; offset < length; offset += chunk)
            {
                final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, offset, Math.min(chunk, length - offset));
                while (mapped.hasRemaining())
                {
                    block.clear();
                    mapped.put(block);
                }
            }
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        return length / 1e6 / seconds;
    }

    private static String firstValue(final Path file, final String key)
    {
        try
        {
            final List<String> lines = Files.readAllLines(file);
            for (final String line : lines)
            {
                if (line.startsWith(key))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (final IOException ex)
        {
            // not Linux: leave it unknown
        }
        return "unknown";
    }
}
