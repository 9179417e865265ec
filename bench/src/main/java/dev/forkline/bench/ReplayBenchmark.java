package dev.forkline.bench;

import dev.forkline.kernel.Store;
import dev.forkline.kernel.replay.DivergencePolicy;
import dev.forkline.kernel.replay.Recorder;
import dev.forkline.kernel.replay.ToolCall;
import dev.forkline.kernel.replay.ToolResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Replay serving recorded results: one operation is one call of a replayed agent (checked against the
 * recording and answered from it). The recorded branch mixes tool calls (with their request hashes
 * checked), clock reads and random reads, in the proportions 2:1:1.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    BenchFlags.F0, BenchFlags.F1, BenchFlags.F2, BenchFlags.F3, BenchFlags.F4, BenchFlags.F5, BenchFlags.F6,
    BenchFlags.F7, BenchFlags.F8, BenchFlags.F9, BenchFlags.F10, BenchFlags.ANALYTICS_OFF})
@State(Scope.Benchmark)
public class ReplayBenchmark
{
    static final int CALLS = 100_000;
    private static final int DISTINCT_CALLS = 64;

    private static final Function<ToolCall, ToolResult> NEVER = call ->
    {
        throw new IllegalStateException("a replay called a live tool");
    };

    private Path directory;
    private Store store;
    private ToolCall[] calls;

    @Setup(Level.Trial)
    public void record() throws IOException
    {
        directory = Files.createTempDirectory("forkline-replay-bench");
        store = Store.open(directory);
        calls = new ToolCall[DISTINCT_CALLS];
        for (int i = 0; i < DISTINCT_CALLS; i++)
        {
            calls[i] = new ToolCall("call_" + i, "read_file", "{\"limit\":" + (i * 7) + ",\"path\":\"src/file" + i + ".txt\"}");
        }
        try (Recorder live = Recorder.live(store.startSession("bench", "{\"agent\":\"bench\"}")))
        {
            agent(live, new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous."),
                call -> new ToolResult("contents of " + call.arguments(), false));
        }
        store.commit();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException
    {
        store.close();
        try (Stream<Path> files = Files.walk(directory))
        {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public void replay(final Blackhole bh)
    {
        try (Recorder replay = Recorder.replay(store, "bench", DivergencePolicy.FAIL))
        {
            agent(replay, bh, NEVER);
        }
    }

    private void agent(final Recorder recorder, final Blackhole bh, final Function<ToolCall, ToolResult> tool)
    {
        for (int i = 0; i < CALLS; i += 4)
        {
            bh.consume(recorder.tool(calls[i & (DISTINCT_CALLS - 1)], tool));
            bh.consume(recorder.clock(System::currentTimeMillis));
            bh.consume(recorder.random(Math::random));
            bh.consume(recorder.tool(calls[(i + 1) & (DISTINCT_CALLS - 1)], tool));
        }
    }
}
