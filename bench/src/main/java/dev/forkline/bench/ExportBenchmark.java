package dev.forkline.bench;

import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import dev.forkline.kernel.export.ExportFormat;
import dev.forkline.kernel.export.ExportOptions;
import dev.forkline.kernel.export.ExportSummary;
import dev.forkline.kernel.export.Exporter;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code openai-chat} export (or another {@code format}) of a store of {@code storeMb} megabytes of payload, with the
 * heap capped at 256 MB. The {@code bytes} counter is the output rate in bytes per second.
 * <pre>
 * java -jar bench/target/benchmarks.jar ExportBenchmark -p storeMb=1024 -p format=openai-chat,events
 * </pre>
 * Each session is an agent episode of 12 turns (user request, model turns with tool calls, tool results of about
 * 1.5 KB of code and listings); every third session has a fork half way with a different outcome.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {
    BenchFlags.F0, BenchFlags.F1, BenchFlags.F2, BenchFlags.F3, BenchFlags.F4, BenchFlags.F5, BenchFlags.F6,
    BenchFlags.F7, BenchFlags.F8, BenchFlags.F9, BenchFlags.F10, BenchFlags.ANALYTICS_OFF, "-Xmx256m"})
public class ExportBenchmark
{
    private static final String[] WORDS = {
        "def", "return", "self", "import", "value", "config", "request", "handler", "error", "test", "assert",
        "file", "path", "line", "index", "result", "None", "True", "client", "parse", "json", "data", "for", "in"};

    @Param("1024")
    public int storeMb;

    /** The format exported: {@code openai-chat}, or {@code events} for the lossless format. */
    @Param("openai-chat")
    public String format;

    private Path directory;
    private Store store;
    private ExportOptions options;

    /** The output rate, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Output
    {
        public long bytes;
    }

    @Setup(Level.Trial)
    public void buildStore() throws IOException
    {
        directory = Files.createTempDirectory("forkline-export-bench");
        final long target = storeMb * 1024L * 1024L;
        long written = 0;
        final SplittableRandom random = new SplittableRandom(42);
        try (Store writer = Store.open(directory))
        {
            for (int session = 0; written < target; session++)
            {
                written += recordSession(writer, "bench-" + session, random);
            }
        }
        store = Store.openReadOnly(directory);
        options = new ExportOptions().format(ExportFormat.fromName(format));
        System.out.println();
        System.out.println("store: " + (written >> 20) + " MB of payload, " + store.sessions().size() + " sessions");
    }

    @TearDown(Level.Trial)
    public void removeStore() throws IOException
    {
        store.close();
        try (Stream<Path> files = Files.walk(directory))
        {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Benchmark
    public ExportSummary exportOpenAiChat(final Output output)
    {
        final ExportSummary summary = new Exporter(store, options).export(OutputStream.nullOutputStream());
        output.bytes += summary.bytes();
        return summary;
    }

    private static long recordSession(final Store store, final String id, final SplittableRandom random)
    {
        long bytes = 0;
        final String start = "{\"agent\":\"bench\",\"model\":\"m\",\"tools\":[{\"type\":\"function\",\"function\":" +
            "{\"name\":\"shell\",\"parameters\":{\"type\":\"object\",\"properties\":{\"cmd\":{\"type\":\"string\"}}}}}]," +
            "\"tags\":{\"suite\":\"bench\"}}";
        final BranchWriter root = store.startSession(id, start);
        bytes += start.length();
        bytes += append(root, EventKind.SYSTEM, "{\"content\":\"You are a careful software engineer.\"}");
        bytes += append(root, EventKind.USER, "{\"content\":\"" + text(random, 60) + "\"}");
        for (int turn = 0; turn < 5; turn++)
        {
            bytes += turn(root, turn, random);
        }
        bytes += append(root, EventKind.OUTCOME, "{\"reward\":0,\"label\":\"fail\"}");
        if (random.nextInt(3) == 0)
        {
            final BranchWriter fork = store.fork(id, 7, "retry");
            for (int turn = 3; turn < 5; turn++)
            {
                bytes += turn(fork, turn, random);
            }
            bytes += append(fork, EventKind.OUTCOME, "{\"reward\":1,\"label\":\"pass\"}");
        }
        return bytes;
    }

    private static long turn(final BranchWriter branch, final int turn, final SplittableRandom random)
    {
        final String call = "call_" + turn;
        return append(branch, EventKind.MODEL_RESPONSE, "{\"content\":\"" + text(random, 40) + "\",\"tool_calls\":[{\"id\":\"" +
            call + "\",\"name\":\"shell\",\"arguments\":\"{\\\"cmd\\\":\\\"grep -rn " + text(random, 3) + "\\\"}\"}]," +
            "\"model\":\"m\",\"usage\":{\"prompt_tokens\":1200,\"completion_tokens\":80},\"request_hash\":\"9f2c\"}") +
            append(branch, EventKind.TOOL_RESULT, "{\"tool_call_id\":\"" + call + "\",\"name\":\"shell\",\"content\":\"" +
                code(random, 1500) + "\",\"error\":false}");
    }

    private static long append(final BranchWriter branch, final EventKind kind, final String json)
    {
        branch.append(kind, json);
        return json.length();
    }

    private static String text(final SplittableRandom random, final int words)
    {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < words; i++)
        {
            out.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return out.toString();
    }

    private static String code(final SplittableRandom random, final int length)
    {
        final StringBuilder out = new StringBuilder(length + 40);
        while (out.length() < length)
        {
            out.append("src/app/").append(WORDS[random.nextInt(WORDS.length)]).append(".py:").append(random.nextInt(900))
                .append(":    ").append(text(random, 6)).append("(\\\"").append(WORDS[random.nextInt(WORDS.length)])
                .append("\\\")\\n");
        }
        return out.toString();
    }
}
