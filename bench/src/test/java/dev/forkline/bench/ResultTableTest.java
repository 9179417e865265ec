package dev.forkline.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultTableTest
{
    private static Figure throughput(final String sink, final String payload, final double value)
    {
        return new Figure("AppendThroughput.producers1", Map.of("sink", sink, "payload", payload), "score", value,
            Double.NaN, Figure.PER_SECOND);
    }

    private static Figure latency(final String sink, final String metric, final double nanos)
    {
        return new Figure("AppendLatency.append", Map.of("sink", sink, "payload", "1024", "pacingNanos", "20000"),
            metric, nanos, Double.NaN, Figure.NANOS);
    }

    @Test
    void ratiosSayHowManyTimesBetterForklineIs()
    {
        assertEquals(2.0, ResultTable.ratio(throughput(Sinks.FORKLINE, "1024", 200), throughput(Sinks.SQLITE, "1024", 100)));
        assertEquals(4.0, ResultTable.ratio(latency(Sinks.FORKLINE, "p50", 100), latency(Sinks.JSON_LINES, "p50", 400)));
    }

    @Test
    void tablePutsBaselinesBesideForklineWithTheirRatio()
    {
        final String table = ResultTable.render(List.of(
            throughput(Sinks.FORKLINE, "1024", 1_000_000),
            throughput(Sinks.CHRONICLE, "1024", 1_250_000),
            throughput(Sinks.SQLITE, "1024", 20_000),
            latency(Sinks.FORKLINE, "p99.9", 5_000),
            latency(Sinks.JSON_LINES, "p99.9", 2_000_000),
            new Figure("Fork.fork", Map.of("prefix", "10"), "mean", 1_500, Double.NaN, Figure.NANOS)));
        final String[] lines = table.split("\n");
        assertEquals("| benchmark | params | metric | forkline | chronicle (ratio) | sqlite (ratio) | jsonl (ratio) |", lines[0]);
        assertEquals("| AppendThroughput.producers1 | payload=1024 | score | 1.00M/s · 1024 MB/s | " +
            "1.25M/s · 1280 MB/s (0.80x) | 20.0k/s · 20 MB/s (50.00x) |  |", lines[2]);
        assertEquals("| AppendLatency.append | pacingNanos=20000 payload=1024 | p99.9 | 5.0 µs |  |  | 2.0 ms (400.00x) |", lines[3]);
        assertEquals("| Fork.fork | prefix=10 | mean | 1.5 µs |  |  |  |", lines[4]);
    }

    @Test
    void aForklineVariantTakesTheForklineColumn()
    {
        final String table = ResultTable.render(List.of(
            new Figure("Commit.producers1", Map.of("sink", Sinks.FORKLINE_SYNC), "p50", 50_000, Double.NaN, Figure.NANOS),
            new Figure("Commit.producers1", Map.of("sink", Sinks.SQLITE_SYNC), "p50", 200_000, Double.NaN, Figure.NANOS)));
        assertEquals("| Commit.producers1 |  | p50 | forkline-sync: 50.0 µs | 200.0 µs (4.00x) |", table.split("\n")[2]);
    }

    @Test
    void targetsReportMetMissedAndNotMeasured()
    {
        final List<Map<String, String>> checks = Targets.check(List.of(
            throughput(Sinks.FORKLINE, "1024", 1_000_000),
            throughput(Sinks.CHRONICLE, "1024", 2_000_000),
            throughput(Sinks.SQLITE, "1024", 20_000),
            latency(Sinks.FORKLINE, "p50", 250),
            latency(Sinks.FORKLINE, "p99.9", 20_000)));
        final String text = Targets.render(checks);
        assertTrue(text.contains(">= 0.8x chronicle: missed by 38% (0.50x"), text);
        assertTrue(text.contains(">= 20x sqlite: met (50.00x"), text);
        assertTrue(text.contains(">= 3x sqlite-batch1000: not measured"), text);
        assertTrue(text.contains("p50 <= 300 ns: met (250 ns)"), text);
        assertTrue(text.contains("p99.9 <= 10 µs: missed by 2.0x (20.0 µs)"), text);
    }
}
