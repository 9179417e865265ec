package dev.forkline.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Lays the figures of a run out as a Markdown table: one row for each benchmark, parameter set and metric, with
 * Forkline's figure and, beside each baseline's figure, Forkline's ratio to it.
 * <p>
 * Rows are matched on every parameter but {@code sink}; a {@code forkline-*} variant takes the Forkline column.
 * The ratio says how many times better Forkline is: its throughput over the baseline's, or the baseline's time
 * over its time. Above 1, Forkline is ahead.
 */
public final class ResultTable
{
    private static final List<String> BASELINES = List.of(
        Sinks.CHRONICLE, Sinks.SQLITE, Sinks.SQLITE_BATCH, Sinks.JSON_LINES, Sinks.JSON_FILES, Sinks.SQLITE_SYNC,
        Sinks.JSON_LINES_SYNC);

    private ResultTable()
    {
    }

    /**
     * @return the table, one line per row, Markdown.
     */
    public static String render(final List<Figure> figures)
    {
        final Set<String> baselines = new LinkedHashSet<>();
        for (final String baseline : BASELINES)
        {
            for (final Figure figure : figures)
            {
                if (baseline.equals(figure.sink()))
                {
                    baselines.add(baseline);
                }
            }
        }
        final Map<String, Map<String, Figure>> rows = new LinkedHashMap<>();
        for (final Figure figure : figures)
        {
            final String sink = figure.sink() == null || Sinks.isForkline(figure.sink()) ? Sinks.FORKLINE : figure.sink();
            rows.computeIfAbsent(rowKey(figure), key -> new LinkedHashMap<>()).put(sink, figure);
        }

        final StringBuilder out = new StringBuilder();
        out.append("| benchmark | params | metric | forkline |");
        for (final String baseline : baselines)
        {
            out.append(' ').append(baseline).append(" (ratio) |");
        }
        out.append('\n').append("| --- | --- | --- | ---: |");
        for (int i = 0; i < baselines.size(); i++)
        {
            out.append(" ---: |");
        }
        out.append('\n');
        for (final Map<String, Figure> row : rows.values())
        {
            final Figure any = row.values().iterator().next();
            final Figure subject = row.get(Sinks.FORKLINE);
            final String variant = subject == null || subject.sink() == null || Sinks.FORKLINE.equals(subject.sink()) ?
                "" : subject.sink() + ": ";
            out.append("| ").append(any.benchmark())
                .append(" | ").append(paramsText(any.params()))
                .append(" | ").append(any.metric())
                .append(" | ").append(subject == null ? "" : variant + format(subject))
                .append(" |");
            for (final String baseline : baselines)
            {
                final Figure other = row.get(baseline);
                out.append(' ');
                if (other != null)
                {
                    out.append(format(other));
                    if (subject != null)
                    {
                        out.append(" (").append(String.format(Locale.ROOT, "%.2fx", ratio(subject, other))).append(')');
                    }
                }
                out.append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * @return one Markdown list item for each append throughput figure: its MB/s as a share of the page-cache write
     * ceiling.
     */
    public static String ceilingShares(final List<Figure> figures, final double ceilingMBps)
    {
        final StringBuilder out = new StringBuilder();
        for (final Figure figure : figures)
        {
            final String payload = figure.params().get("payload");
            if (figure.benchmark().startsWith("AppendThroughput.") && payload != null && figure.higherIsBetter())
            {
                final double megabytes = figure.value() * Integer.parseInt(payload) / 1e6;
                out.append(String.format(Locale.ROOT, "- %s %s payload=%s: %.0f MB/s, %.0f%% of the ceiling%n",
                    figure.benchmark(), figure.sink(), payload, megabytes, 100 * megabytes / ceilingMBps));
            }
        }
        return out.toString();
    }

    /**
     * @return how many times better {@code subject} is than {@code baseline}.
     */
    public static double ratio(final Figure subject, final Figure baseline)
    {
        return subject.higherIsBetter() ? subject.value() / baseline.value() : baseline.value() / subject.value();
    }

    /**
     * @return the value with its unit, scaled for reading; throughput with a payload also in MB/s.
     */
    public static String format(final Figure figure)
    {
        final double value = figure.value();
        if (Figure.BYTES_PER_SECOND.equals(figure.unit()))
        {
            return String.format(Locale.ROOT, "%.0f MB/s", value / 1e6);
        }
        if (figure.higherIsBetter())
        {
            final String rate = scaled(value, new String[]{"/s", "k/s", "M/s", "G/s"}, 1000);
            final String payload = figure.params().get("payload");
            if (payload != null)
            {
                final double megabytes = value * Integer.parseInt(payload) / 1e6;
                return rate + " · " + String.format(Locale.ROOT, megabytes < 10 ? "%.1f MB/s" : "%.0f MB/s", megabytes);
            }
            return rate;
        }
        if (value < 1_000)
        {
            return String.format(Locale.ROOT, "%.0f ns", value);
        }
        if (value < 1_000_000)
        {
            return String.format(Locale.ROOT, "%.1f µs", value / 1e3);
        }
        if (value < 1_000_000_000)
        {
            return String.format(Locale.ROOT, "%.1f ms", value / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", value / 1e9);
    }

    private static String scaled(final double value, final String[] suffixes, final double step)
    {
        double scaled = value;
        int i = 0;
        while (scaled >= step && i < suffixes.length - 1)
        {
            scaled /= step;
            i++;
        }
        return String.format(Locale.ROOT, scaled < 10 ? "%.2f%s" : scaled < 100 ? "%.1f%s" : "%.0f%s", scaled, suffixes[i]);
    }

    private static String rowKey(final Figure figure)
    {
        final Map<String, String> params = new TreeMap<>(figure.params());
        params.remove("sink");
        return figure.benchmark() + '|' + params + '|' + figure.metric();
    }

    private static String paramsText(final Map<String, String> params)
    {
        final List<String> parts = new ArrayList<>();
        for (final Map.Entry<String, String> entry : new TreeMap<>(params).entrySet())
        {
            if (!"sink".equals(entry.getKey()))
            {
                parts.add(entry.getKey() + "=" + entry.getValue());
            }
        }
        return String.join(" ", parts);
    }
}
