package dev.forkline.bench;

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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * An append and a commit that returns once the event is on disk: Forkline's {@code SYNC} durability against SQLite
 * with {@code synchronous=FULL} and JSON lines with an fsync. With 4 producers Forkline's commits share msyncs
 * (group commit), SQLite's queue behind its single writer.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    BenchFlags.F0, BenchFlags.F1, BenchFlags.F2, BenchFlags.F3, BenchFlags.F4, BenchFlags.F5, BenchFlags.F6,
    BenchFlags.F7, BenchFlags.F8, BenchFlags.F9, BenchFlags.F10, BenchFlags.ANALYTICS_OFF, "-Xmx2g"})
@State(Scope.Benchmark)
public class CommitBenchmark
{
    @Param({Sinks.FORKLINE_SYNC, Sinks.SQLITE_SYNC, Sinks.JSON_LINES_SYNC})
    public String sink;

    @Param({"1024"})
    public int payload;

    private Path directory;
    private Sink target;
    private byte[] json;
    private String text;

    @Setup(Level.Trial)
    public void open()
    {
        directory = BenchDirs.fresh("commit-" + sink);
        target = Sinks.open(sink, directory);
        text = Payloads.json(payload);
        json = Payloads.jsonBytes(payload);
    }

    @TearDown(Level.Trial)
    public void close()
    {
        target.close();
        BenchDirs.delete(directory);
    }

    /**
     * One producer thread's writer: its own session.
     */
    @State(Scope.Thread)
    public static class Producer
    {
        SinkWriter writer;

        @Setup(Level.Trial)
        public void open(final CommitBenchmark benchmark, final ThreadParams threads)
        {
            writer = benchmark.target.writer("producer-" + threads.getThreadIndex());
        }
    }

    @Benchmark
    @Threads(1)
    public void producers1(final Producer producer)
    {
        producer.writer.append(json, text);
        producer.writer.commit();
    }

    @Benchmark
    @Threads(4)
    public void producers4(final Producer producer)
    {
        producer.writer.append(json, text);
        producer.writer.commit();
    }
}
