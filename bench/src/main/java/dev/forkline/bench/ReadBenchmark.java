package dev.forkline.bench;

import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.Event;
import dev.forkline.kernel.EventCursor;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Reading a forked branch: a random event by step ({@link Store#event}), and the whole branch in step order
 * through an {@link EventCursor} (the shared prefix from the parent, then the fork's own events).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    BenchFlags.F0, BenchFlags.F1, BenchFlags.F2, BenchFlags.F3, BenchFlags.F4, BenchFlags.F5, BenchFlags.F6,
    BenchFlags.F7, BenchFlags.F8, BenchFlags.F9, BenchFlags.F10, BenchFlags.ANALYTICS_OFF, "-Xmx4g"})
@State(Scope.Benchmark)
public class ReadBenchmark
{
    /** Steps of the branch read: half the parent's prefix, half its own. */
    public static final int STEPS = 100_000;

    @Param({"1024"})
    public int payload;

    private Path directory;
    private Store store;
    private String branch;
    private final long[] randomSteps = new long[1 << 16];
    private int next;

    @Setup(Level.Trial)
    public void open()
    {
        directory = BenchDirs.fresh("read");
        store = Store.open(directory);
        final byte[] json = Payloads.jsonBytes(payload);
        final BranchWriter root = store.startSession("read", (String)null);
        for (int step = 1; step < STEPS; step++)
        {
            root.append(EventKind.USER, json);
        }
        final BranchWriter fork = store.fork(root.branch(), STEPS / 2, "bench");
        for (int step = STEPS / 2; step < STEPS; step++)
        {
            fork.append(EventKind.USER, json);
        }
        store.commit();
        branch = fork.branch();
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < randomSteps.length; i++)
        {
            randomSteps[i] = random.nextInt(STEPS);
        }
    }

    @TearDown(Level.Trial)
    public void close()
    {
        store.close();
        BenchDirs.delete(directory);
    }

    @Benchmark
    public Event randomEvent()
    {
        final long step = randomSteps[next++ & (randomSteps.length - 1)];
        return store.event(branch, step);
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public long sequentialRead()
    {
        long bytes = 0;
        try (EventCursor cursor = store.read(branch))
        {
            while (cursor.next())
            {
                bytes += cursor.event().payloadLength();
            }
        }
        return bytes;
    }
}
