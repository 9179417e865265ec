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

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What the producing thread pays per append, one producer: JMH samples the time of single appends, and the suite
 * reports p50, p99, p99.9 and p99.99.
 * <p>
 * {@code pacingNanos} spaces the appends: before each one the thread spins (outside the timed region) until the
 * next slot. At the default of 20 microseconds (50,000 events a second, far more than one agent records) the
 * journal keeps up, so the figure is the cost of the append itself; at 0 the producer runs flat out, the ring
 * fills, and the figure shows the wait for the journal thread.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {
    BenchFlags.F0, BenchFlags.F1, BenchFlags.F2, BenchFlags.F3, BenchFlags.F4, BenchFlags.F5, BenchFlags.F6,
    BenchFlags.F7, BenchFlags.F8, BenchFlags.F9, BenchFlags.F10, BenchFlags.ANALYTICS_OFF, "-Xmx2g"})
@State(Scope.Thread)
public class AppendLatencyBenchmark
{
    @Param({Sinks.FORKLINE, Sinks.CHRONICLE, Sinks.JSON_LINES})
    public String sink;

    @Param({"128", "1024", "16384"})
    public int payload;

    @Param({"20000", "0"})
    public long pacingNanos;

    private Path directory;
    private Sink target;
    private SinkWriter writer;
    private byte[] json;
    private String text;
    private long nextSlot;

    @Setup(Level.Trial)
    public void open()
    {
        directory = BenchDirs.fresh("latency-" + sink);
        target = Sinks.open(sink, directory);
        writer = target.writer("latency");
        text = Payloads.json(payload);
        json = Payloads.jsonBytes(payload);
    }

    @TearDown(Level.Trial)
    public void close()
    {
        writer.commit();
        target.close();
        BenchDirs.delete(directory);
    }

    @Setup(Level.Invocation)
    public void pace()
    {
        if (pacingNanos > 0)
        {
            final long now = System.nanoTime();
            long slot = nextSlot;
            if (slot < now)
            {
                slot = now;
            }
            while (System.nanoTime() < slot)
            {
                Thread.onSpinWait();
            }
            nextSlot = slot + pacingNanos;
        }
    }

    @Benchmark
    public void append()
    {
        writer.append(json, text);
    }
}
