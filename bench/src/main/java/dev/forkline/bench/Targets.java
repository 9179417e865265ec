package dev.forkline.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The performance targets of the suite, checked against the figures of a run. Each check reads met, missed (and
 * by how much) or not measured; a run never fails on a target.
 */
public final class Targets
{
    private static final String THROUGHPUT = "AppendThroughput.producers1";
    private static final String LATENCY = "AppendLatency.append";
    private static final String FORK = "Fork.fork";

    private Targets()
    {
    }

    /**
     * @return one entry per target: {@code target}, {@code figure} and {@code status}.
     */
    public static List<Map<String, String>> check(final List<Figure> figures)
    {
        final List<Map<String, String>> checks = new ArrayList<>();
        ratioAtLeast(checks, figures, "1024", Sinks.CHRONICLE, 0.8);
        ratioAtLeast(checks, figures, "1024", Sinks.SQLITE, 20);
        ratioAtLeast(checks, figures, "1024", Sinks.SQLITE_BATCH, 3);
        ratioAtLeast(checks, figures, "128", Sinks.JSON_LINES, 3);

        final Figure p50 = find(figures, LATENCY, "p50", Sinks.FORKLINE, "1024");
        final Figure p999 = find(figures, LATENCY, "p99.9", Sinks.FORKLINE, "1024");
        final Figure jsonP999 = find(figures, LATENCY, "p99.9", Sinks.JSON_LINES, "1024");
        atMost(checks, "append latency, 1 producer, 1 KiB: p50 <= 300 ns", p50, 300);
        atMost(checks, "append latency, 1 producer, 1 KiB: p99.9 <= 10 µs", p999, 10_000);
        if (p999 != null && jsonP999 != null)
        {
            final String figure = ResultTable.format(p999) + " vs jsonl " + ResultTable.format(jsonP999);
            add(checks, "append latency, 1 KiB: p99.9 lower than JSON lines", figure,
                p999.value() < jsonP999.value() ? "met" : "missed");
        }
        else
        {
            add(checks, "append latency, 1 KiB: p99.9 lower than JSON lines", "", "not measured");
        }

        Figure smallest = null;
        Figure largest = null;
        for (final Figure figure : figures)
        {
            if (FORK.equals(figure.benchmark()) && figure.params().containsKey("prefix"))
            {
                final long prefix = Long.parseLong(figure.params().get("prefix"));
                if (smallest == null || prefix < Long.parseLong(smallest.params().get("prefix")))
                {
                    smallest = figure;
                }
                if (largest == null || prefix > Long.parseLong(largest.params().get("prefix")))
                {
                    largest = figure;
                }
            }
        }
        final String forkTarget = "fork cost: largest prefix within 2x of the smallest";
        if (smallest != null && largest != smallest)
        {
            final double ratio = largest.value() / smallest.value();
            add(checks, forkTarget, String.format(Locale.ROOT, "%s at %s steps vs %s at %s steps: %.2fx",
                ResultTable.format(largest), largest.params().get("prefix"),
                ResultTable.format(smallest), smallest.params().get("prefix"), ratio),
                ratio <= 2 ? "met" : String.format(Locale.ROOT, "missed by %.2fx", ratio / 2));
        }
        else
        {
            add(checks, forkTarget, "", "not measured");
        }
        return checks;
    }

    /**
     * @return the checks as Markdown list items.
     */
    public static String render(final List<Map<String, String>> checks)
    {
        final StringBuilder out = new StringBuilder();
        for (final Map<String, String> check : checks)
        {
            out.append("- ").append(check.get("target")).append(": ").append(check.get("status"));
            if (!check.get("figure").isEmpty())
            {
                out.append(" (").append(check.get("figure")).append(')');
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static void ratioAtLeast(
        final List<Map<String, String>> checks, final List<Figure> figures, final String payload, final String baseline,
        final double target)
    {
        final String name = String.format(Locale.ROOT, "sustained append throughput, %s B, 1 producer: >= %sx %s",
            payload, target < 1 ? String.valueOf(target) : String.valueOf((int)target), baseline);
        final Figure subject = find(figures, THROUGHPUT, "score", Sinks.FORKLINE, payload);
        final Figure other = find(figures, THROUGHPUT, "score", baseline, payload);
        if (subject == null || other == null)
        {
            add(checks, name, "", "not measured");
            return;
        }
        final double ratio = ResultTable.ratio(subject, other);
        add(checks, name, String.format(Locale.ROOT, "%.2fx: %s vs %s", ratio, ResultTable.format(subject), ResultTable.format(other)),
            ratio >= target ? "met" : String.format(Locale.ROOT, "missed by %.0f%%", 100 * (1 - ratio / target)));
    }

    private static void atMost(
        final List<Map<String, String>> checks, final String name, final Figure figure, final double limitNanos)
    {
        if (figure == null)
        {
            add(checks, name, "", "not measured");
            return;
        }
        add(checks, name, ResultTable.format(figure), figure.value() <= limitNanos ? "met" :
            String.format(Locale.ROOT, "missed by %.1fx", figure.value() / limitNanos));
    }

    /**
     * @return the figure of a benchmark and metric on a sink at a payload size, preferring the paced latency run.
     */
    private static Figure find(
        final List<Figure> figures, final String benchmark, final String metric, final String sink, final String payload)
    {
        Figure found = null;
        for (final Figure figure : figures)
        {
            if (benchmark.equals(figure.benchmark()) && metric.equals(figure.metric()) && sink.equals(figure.sink()) &&
                payload.equals(figure.params().get("payload")))
            {
                final String pacing = figure.params().get("pacingNanos");
                if (found == null || (pacing != null && !"0".equals(pacing)))
                {
                    found = figure;
                }
            }
        }
        return found;
    }

    private static void add(final List<Map<String, String>> checks, final String target, final String figure, final String status)
    {
        final Map<String, String> check = new LinkedHashMap<>();
        check.put("target", target);
        check.put("figure", figure);
        check.put("status", status);
        checks.add(check);
    }
}
