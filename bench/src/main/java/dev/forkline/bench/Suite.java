package dev.forkline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.util.Statistics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The runner behind {@code bench/run}: runs every benchmark in the jar (the quick plan shortens the known ones and
 * gives the others short iterations), prints a table of every figure with Forkline's ratio to each baseline and the
 * targets, and writes {@code <results>/<timestamp>.json} and {@code .md}.
 * <pre>
 * Suite [--quick] [--include REGEX] [--results DIR] [--no-ceilings]
 * </pre>
 */
public final class Suite
{
    private static final String[] ALL_SINKS =
        {Sinks.FORKLINE, Sinks.CHRONICLE, Sinks.SQLITE, Sinks.SQLITE_BATCH, Sinks.JSON_LINES, Sinks.JSON_FILES};

    private Suite()
    {
    }

    public static void main(final String[] args) throws IOException, RunnerException
    {
        boolean quick = false;
        boolean ceilings = true;
        Pattern include = null;
        Path results = Path.of("bench", "results");
        for (int i = 0; i < args.length; i++)
        {
            if (("--include".equals(args[i]) || "--results".equals(args[i])) && i + 1 == args.length)
            {
                usage();
            }
            switch (args[i])
            {
                case "--quick" -> quick = true;
                case "--no-ceilings" -> ceilings = false;
                case "--include" -> include = Pattern.compile(args[++i]);
                case "--results" -> results = Path.of(args[++i]);
                default -> usage();
            }
        }
        final String command = "bench/run" + (args.length == 0 ? "" : " " + String.join(" ", args));
        final Instant started = Instant.now();

        final Map<String, String> machine = Machine.describe();
        final Map<String, Double> storage = ceilings ? Machine.ceilings(quick ? 256 : 1024) : Map.of();

        final List<Figure> figures = new ArrayList<>();
        final List<String> names = benchmarkNames(include);
        for (final Map.Entry<SuiteRun, List<String>> run : assign(quick ? quickPlan() : List.of(), names, quick).entrySet())
        {
            figures.addAll(run(run.getKey(), run.getValue()));
        }

        final long seconds = Duration.between(started, Instant.now()).toSeconds();
        final List<Map<String, String>> targets = Targets.check(figures);
        final String table = ResultTable.render(figures);
        final StringBuilder report = new StringBuilder()
            .append("Forkline benchmarks, ").append(quick ? "quick" : "full").append(" run, ").append(started)
            .append(", ").append(seconds).append(" s\n")
            .append("command: ").append(command).append('\n')
            .append("machine: ").append(machine).append('\n');
        if (!storage.isEmpty())
        {
            report.append("storage ceilings: ").append(Machine.render(storage)).append('\n');
        }
        report.append('\n').append(table).append('\n').append("Targets:\n").append(Targets.render(targets));
        final Double pageCache = storage.get("pageCacheWriteMBps");
        if (pageCache != null)
        {
            report.append('\n').append(String.format(Locale.ROOT, "Payload bytes written against the page-cache write ceiling (%.0f MB/s):%n", pageCache))
                .append(ResultTable.ceilingShares(figures, pageCache));
        }
        System.out.println();
        System.out.println(report);

        Files.createDirectories(results);
        final String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss'Z'").withZone(ZoneOffset.UTC).format(started);
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("started", started.toString());
        json.put("mode", quick ? "quick" : "full");
        json.put("seconds", seconds);
        json.put("command", command);
        json.put("machine", machine);
        json.put("ceilings", storage);
        json.put("figures", figures);
        json.put("targets", targets);
        json.put("table", table);
        final Path jsonFile = results.resolve(stamp + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(jsonFile.toFile(), json);
        Files.writeString(results.resolve(stamp + ".md"), report.toString(), StandardCharsets.UTF_8);
        System.out.println("results: " + jsonFile);
    }

    private static void usage()
    {
        System.err.println("usage: bench/run [--quick] [--include REGEX] [--results DIR] [--no-ceilings] [--no-build]");
        System.exit(2);
    }

    /**
     * The quick plan: the figures the targets need, the smaller open-time store, short iterations. About three
     * minutes on two cores.
     */
    static List<SuiteRun> quickPlan()
    {
        final String latency = SuiteRun.PACKAGE + "AppendLatencyBenchmark.";
        final String throughput = SuiteRun.PACKAGE + "AppendThroughputBenchmark.";
        return List.of(
            new SuiteRun(latency, Map.of("sink", new String[]{Sinks.FORKLINE}, "payload", new String[]{"128", "1024", "16384"},
                "pacingNanos", new String[]{"20000"}), 1, 1, 1, 2),
            new SuiteRun(latency, Map.of("sink", new String[]{Sinks.CHRONICLE, Sinks.JSON_LINES}, "payload", new String[]{"1024"},
                "pacingNanos", new String[]{"20000"}), 1, 1, 1, 2),
            new SuiteRun(throughput + "producers1", Map.of("sink", ALL_SINKS, "payload", new String[]{"1024"}), 1, 1, 1, 2),
            new SuiteRun(throughput + "producers1", Map.of("sink", new String[]{Sinks.FORKLINE, Sinks.JSON_LINES},
                "payload", new String[]{"128"}), 1, 1, 1, 2),
            new SuiteRun(throughput + "producers2", Map.of("sink", new String[]{Sinks.FORKLINE, Sinks.CHRONICLE},
                "payload", new String[]{"1024"}), 1, 1, 1, 2),
            new SuiteRun(throughput + "producers4", Map.of("sink", new String[]{Sinks.FORKLINE, Sinks.CHRONICLE},
                "payload", new String[]{"1024"}), 1, 1, 1, 2),
            new SuiteRun(SuiteRun.PACKAGE + "CommitBenchmark.producers1", Map.of(), 1, 1, 1, 1),
            new SuiteRun(SuiteRun.PACKAGE + "ForkBenchmark.", Map.of(), 30, 0, 10, 0),
            new SuiteRun(SuiteRun.PACKAGE + "OpenBenchmark.", Map.of("size", new String[]{"1000000:10000"}), 1, 0, 3, 0),
            new SuiteRun(SuiteRun.PACKAGE + "ReadBenchmark.", Map.of(), 1, 1, 1, 2));
    }

    /**
     * Gives each benchmark to the runs of the plan that match it. The benchmarks of a class the plan does not name
     * get a run of their class, quick or full; a method the plan leaves out of a class it names is left out.
     */
    static Map<SuiteRun, List<String>> assign(final List<SuiteRun> plan, final List<String> names, final boolean quick)
    {
        final Map<SuiteRun, List<String>> runs = new LinkedHashMap<>();
        for (final SuiteRun run : plan)
        {
            for (final String name : names)
            {
                if (name.startsWith(run.prefix()))
                {
                    runs.computeIfAbsent(run, key -> new ArrayList<>()).add(name);
                }
            }
        }
        final Map<String, SuiteRun> others = new LinkedHashMap<>();
        for (final String name : names)
        {
            final String type = name.substring(0, name.lastIndexOf('.') + 1);
            final boolean planned = plan.stream().anyMatch(run -> run.prefix().startsWith(type));
            if (!planned)
            {
                final SuiteRun run = others.computeIfAbsent(type, key -> quick ? SuiteRun.quick(key) : SuiteRun.full(key));
                runs.computeIfAbsent(run, key -> new ArrayList<>()).add(name);
            }
        }
        return runs;
    }

    private static List<String> benchmarkNames(final Pattern include)
    {
        final TreeSet<String> names = new TreeSet<>();
        for (final BenchmarkListEntry entry : BenchmarkList.defaultList().getAll(
            OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of()))
        {
            final String name = entry.getUsername();
            if (include == null || include.matcher(name).find())
            {
                names.add(name);
            }
        }
        return new ArrayList<>(names);
    }

    private static List<Figure> run(final SuiteRun run, final List<String> names) throws RunnerException
    {
        final ChainedOptionsBuilder options = new OptionsBuilder().shouldFailOnError(true);
        for (final String name : names)
        {
            options.include("^" + Pattern.quote(name) + "$");
        }
        for (final Map.Entry<String, String[]> param : run.params().entrySet())
        {
            options.param(param.getKey(), param.getValue());
        }
        if (run.warmups() > 0)
        {
            options.warmupIterations(run.warmups());
        }
        if (run.warmupSeconds() > 0)
        {
            options.warmupTime(TimeValue.seconds(run.warmupSeconds()));
        }
        if (run.iterations() > 0)
        {
            options.measurementIterations(run.iterations());
        }
        if (run.iterationSeconds() > 0)
        {
            options.measurementTime(TimeValue.seconds(run.iterationSeconds()));
        }
        final Collection<RunResult> results = runWhenFree(new Runner(options.build()));
        final List<Figure> figures = new ArrayList<>();
        for (final RunResult result : results)
        {
            figures.addAll(figures(result));
        }
        return figures;
    }

    /**
     * JMH admits one run a machine (a lock file); when another holds it, waits for it rather than failing, for up to
     * half an hour.
     */
    private static Collection<RunResult> runWhenFree(final Runner runner) throws RunnerException
    {
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        boolean told = false;
        while (true)
        {
            try
            {
                return runner.run();
            }
            catch (final RunnerException ex)
            {
                if (String.valueOf(ex.getMessage()).contains("JMH lock") && System.nanoTime() < deadline)
                {
                    if (!told)
                    {
                        System.err.println("another JMH run holds the lock; waiting for it to finish");
                        told = true;
                    }
                    sleepSeconds(5);
                }
                else
                {
                    throw ex;
                }
            }
        }
    }

    private static void sleepSeconds(final int seconds)
    {
        try
        {
            Thread.sleep(seconds * 1000L);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the JMH lock", ex);
        }
    }

    /**
     * @return the figures of one JMH result: the score, or for sampled times p50, p99, p99.9 and p99.99.
     */
    static List<Figure> figures(final RunResult runResult)
    {
        final BenchmarkParams params = runResult.getParams();
        final String benchmark = shortName(params.getBenchmark());
        final Map<String, String> values = new LinkedHashMap<>();
        for (final String key : params.getParamsKeys())
        {
            values.put(key, params.getParam(key));
        }
        final Result<?> primary = runResult.getPrimaryResult();
        final String unit = primary.getScoreUnit();
        final List<Figure> figures = new ArrayList<>();
        if (params.getMode() == org.openjdk.jmh.annotations.Mode.SampleTime)
        {
            final Statistics statistics = primary.getStatistics();
            final double toNanos = nanosPer(unit);
            final double[] percentiles = {50, 99, 99.9, 99.99};
            final String[] labels = {"p50", "p99", "p99.9", "p99.99"};
            for (int i = 0; i < percentiles.length; i++)
            {
                figures.add(new Figure(benchmark, values, labels[i], statistics.getPercentile(percentiles[i]) * toNanos,
                    Double.NaN, Figure.NANOS));
            }
        }
        else if (unit.startsWith("ops/"))
        {
            final double perSecond = 1e9 / nanosPer(unit.substring("ops/".length()) + "/op");
            figures.add(new Figure(benchmark, values, "score", primary.getScore() * perSecond,
                primary.getScoreError() * perSecond, Figure.PER_SECOND));
            final Result<?> bytes = runResult.getSecondaryResults().get("bytes");
            if (bytes != null)
            {
                // an @AuxCounters "bytes" field: bytes written, reported by JMH as a rate in the same unit
                figures.add(new Figure(benchmark, values, "bytes", bytes.getScore() * perSecond,
                    bytes.getScoreError() * perSecond, Figure.BYTES_PER_SECOND));
            }
        }
        else
        {
            final double toNanos = nanosPer(unit);
            figures.add(new Figure(benchmark, values, "mean", primary.getScore() * toNanos,
                primary.getScoreError() * toNanos, Figure.NANOS));
        }
        return figures;
    }

    static String shortName(final String benchmark)
    {
        final String name = benchmark.startsWith(SuiteRun.PACKAGE) ? benchmark.substring(SuiteRun.PACKAGE.length()) : benchmark;
        return name.replace("Benchmark.", ".");
    }

    private static double nanosPer(final String unit)
    {
        switch (unit)
        {
            case "ns/op":
                return 1;
            case "us/op":
                return 1e3;
            case "ms/op":
                return 1e6;
            case "s/op":
                return 1e9;
            case "min/op":
                return 60e9;
            default:
                throw new IllegalArgumentException("unexpected unit: " + unit);
        }
    }
}
