package dev.forkline.bench;

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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Sustained append throughput, in events per second, of Forkline and of each baseline on the same payloads,
 * with 1, 2 and 4 producer threads.
 * <p>
 * One operation is one event; an invocation appends {@link #BATCH} events and then commits, so the time counted
 * runs until {@code commit()} returns and everything is in the journal: the journal thread's drain rate is what is
 * measured, not the rate at which the ring accepts events.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    BenchFlags.F0, BenchFlags.F1, BenchFlags.F2, BenchFlags.F3, BenchFlags.F4, BenchFlags.F5, BenchFlags.F6,
    BenchFlags.F7, BenchFlags.F8, BenchFlags.F9, BenchFlags.F10, BenchFlags.ANALYTICS_OFF, "-Xmx2g"})
@State(Scope.Benchmark)
public class AppendThroughputBenchmark
{
    /** Events appended between two commits by one producer. */
    public static final int BATCH = 10_000;

    @Param({Sinks.FORKLINE, Sinks.CHRONICLE, Sinks.SQLITE, Sinks.SQLITE_BATCH, Sinks.JSON_LINES, Sinks.JSON_FILES})
    public String sink;

    @Param({"128", "1024", "16384"})
    public int payload;

    private Path directory;
    private Sink target;
    private byte[] json;
    private String text;

    @Setup(Level.Trial)
    public void open()
    {
        directory = BenchDirs.fresh("append-" + sink);
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
        public void open(final AppendThroughputBenchmark benchmark, final ThreadParams threads)
        {
            writer = benchmark.target.writer("producer-" + threads.getThreadIndex());
        }
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public void producers1(final Producer producer)
    {
        appendBatch(producer.writer);
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(BATCH)
    public void producers2(final Producer producer)
    {
        appendBatch(producer.writer);
    }

    @Benchmark
    @Threads(4)
    @OperationsPerInvocation(BATCH)
    public void producers4(final Producer producer)
    {
        appendBatch(producer.writer);
    }

    private void appendBatch(final SinkWriter writer)
    {
        final byte[] json = this.json;
        final String text = this.text;
        for (int i = 0; i < BATCH; i++)
        {
            writer.append(json, text);
        }
        writer.commit();
    }
}
