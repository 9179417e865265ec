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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The cost of {@link Store#fork} against the length of the prefix the new branch shares. A fork copies nothing,
 * so the cost should not grow with the prefix.
 * <p>
 * Each invocation forks the same branch {@link #FORKS} times at its head. Single-shot iterations bound the
 * number of forks a trial makes (7,000 in a full run): every fork joins its session's fork tree, and with a session of
 * many thousands of forks the cost of that registration, not the prefix, is what would be measured.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 50)
@Measurement(iterations = 20)
@Fork(value = 1, jvmArgsAppend = {
    BenchFlags.F0, BenchFlags.F1, BenchFlags.F2, BenchFlags.F3, BenchFlags.F4, BenchFlags.F5, BenchFlags.F6,
    BenchFlags.F7, BenchFlags.F8, BenchFlags.F9, BenchFlags.F10, BenchFlags.ANALYTICS_OFF, "-Xmx4g"})
@State(Scope.Benchmark)
public class ForkBenchmark
{
    /** Forks per invocation. */
    public static final int FORKS = 100;

    /** Steps of the branch being forked, the shared prefix of every fork. */
    @Param({"10", "10000", "1000000"})
    public int prefix;

    private Path directory;
    private Store store;
    private String branch;

    @Setup(Level.Trial)
    public void open()
    {
        directory = BenchDirs.fresh("fork");
        store = Store.open(directory);
        final BranchWriter writer = store.startSession("fork-source", (String)null);
        final byte[] json = Payloads.jsonBytes(64);
        for (int step = 1; step < prefix; step++)
        {
            writer.append(EventKind.USER, json);
        }
        writer.commit();
        branch = writer.branch();
    }

    @TearDown(Level.Trial)
    public void close()
    {
        store.close();
        BenchDirs.delete(directory);
    }

    @Benchmark
    @OperationsPerInvocation(FORKS)
    public void fork(final Blackhole blackhole)
    {
        for (int i = 0; i < FORKS; i++)
        {
            blackhole.consume(store.fork(branch, prefix, "bench"));
        }
    }
}
