package dev.forkline.bench;

import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The time to open a store against its size (100,000 events in 1,000 sessions to 10 million in 100,000, and 10
 * million in 1,000 to hold the number of branches and vary only the events), for writing ({@link Store#open}) and
 * for reading ({@link Store#openReadOnly}), up to the first query of its sessions.
 * Closing is outside the measured time: a writer's close also spends up to half a second sealing any events the
 * hash chain has not covered yet, which is not the cost of opening.
 * <p>
 * The store is built once, in {@code <bench dir>/open-<events>-<sessions>}, and kept for later runs: building ten
 * million events takes far longer than opening them. A marker file beside it says it was built to the end; a kept
 * store that no longer opens (an older on-disk format) is built again.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {
    BenchFlags.F0, BenchFlags.F1, BenchFlags.F2, BenchFlags.F3, BenchFlags.F4, BenchFlags.F5, BenchFlags.F6,
    BenchFlags.F7, BenchFlags.F8, BenchFlags.F9, BenchFlags.F10, BenchFlags.ANALYTICS_OFF, "-Xmx4g"})
@State(Scope.Benchmark)
public class OpenBenchmark
{
    /**
     * The store's size, as {@code <events>:<sessions>}, and {@code :paced} for a store recorded with pauses between
     * sessions (as agents record), in which the hash-chain seals interleave with the events; a store loaded at full
     * speed has every seal after its last event.
     */
    @Param({"100000:1000", "1000000:10000", "10000000:100000", "10000000:1000", "10000000:1000:paced"})
    public String size;

    @Param({"write", "readOnly"})
    public String access;

    private Path directory;
    private Store opened;

    @Setup(Level.Trial)
    public void build()
    {
        final String[] parts = size.split(":");
        final int events = Integer.parseInt(parts[0]);
        final int sessions = Integer.parseInt(parts[1]);
        final boolean paced = parts.length > 2 && "paced".equals(parts[2]);
        final String name = "open-" + events + "-" + sessions + (paced ? "-paced" : "");
        directory = BenchDirs.root().resolve(name);
        final Path marker = BenchDirs.root().resolve(name + ".complete");
        if (Files.exists(marker) && Files.isDirectory(directory) && opens(directory))
        {
            // a store kept from an older snapshot format is scanned once here and gets a current snapshot
            Store.open(directory).close();
            return;
        }
        BenchDirs.delete(directory);
        BenchDirs.delete(marker);
        populate(directory, events, sessions, paced);
        try
        {
            Files.createFile(marker);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @return true when a kept store still opens (a store built by an older on-disk format may not).
     */
    private static boolean opens(final Path directory)
    {
        try (Store store = Store.openReadOnly(directory))
        {
            return !store.sessions().isEmpty();
        }
        catch (final RuntimeException ex)
        {
            System.err.println("rebuilding the store in " + directory + ": " + ex);
            return false;
        }
    }

    /**
     * Records {@code events} events in {@code sessions} sessions of equal length, each a {@code session.start}
     * followed by tool results of about 200 bytes; {@code paced}: pausing after each session long enough for the
     * journal thread to seal it (about 2 µs a KiB).
     */
    static void populate(final Path directory, final int events, final int sessions, final boolean paced)
    {
        final int perSession = Math.max(1, events / sessions);
        final byte[] json = Payloads.jsonBytes(200);
        try (Store store = Store.open(directory))
        {
            for (int s = 0; s < sessions; s++)
            {
                final BranchWriter writer = store.startSession("session-" + s, "{\"agent\":\"bench\"}");
                for (int step = 1; step < perSession; step++)
                {
                    writer.append(EventKind.TOOL_RESULT, json);
                }
                writer.end("done");
                if (paced)
                {
                    store.commit();
                    pause(Math.max(1, perSession / 1_000));
                }
            }
            store.commit();
        }
    }

    private static void pause(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Benchmark
    public Object open()
    {
        opened = "readOnly".equals(access) ? Store.openReadOnly(directory) : Store.open(directory);
        return opened.sessions().size();
    }

    @TearDown(Level.Invocation)
    public void close()
    {
        if (opened != null)
        {
            opened.close();
            opened = null;
        }
    }
}
