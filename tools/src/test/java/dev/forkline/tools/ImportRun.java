package dev.forkline.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Imports files into one store and checks what every import must do: succeed, or fail with one line on
 * stderr that names the file, exit code 2, and the store as it was. Each import is bounded in time.
 */
final class ImportRun
{
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static final ExecutorService IMPORTER = Executors.newSingleThreadExecutor(task ->
    {
        final Thread thread = new Thread(task, "import-under-test");
        thread.setDaemon(true);
        return thread;
    });

    /** A small valid file of each format, the seeds of the hostile ones. */
    static final String EVENTS = String.join("\n",
        "{\"session\":\"s\",\"branch\":\"s\",\"step\":0,\"kind\":\"session.start\",\"ts\":\"2026-11-29T17:00:00.000001Z\",\"data\":{\"agent\":\"x\"}}",
        "{\"session\":\"s\",\"branch\":\"s\",\"step\":1,\"kind\":\"model.response\",\"ts\":\"2026-11-29T17:00:00.000002Z\"," +
            "\"data\":{\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"name\":\"ls\",\"arguments\":\"{}\"}]}}",
        "{\"session\":\"s\",\"branch\":\"s\",\"step\":2,\"kind\":\"tool.result\",\"ts\":\"2026-11-29T17:00:00.000003Z\"," +
            "\"data\":{\"tool_call_id\":\"c1\",\"name\":\"ls\",\"content\":\"a\",\"error\":false}}",
        "{\"session\":\"s\",\"branch\":\"s/1\",\"step\":2,\"kind\":\"fork\",\"ts\":\"2026-11-29T17:00:00.000004Z\"," +
            "\"data\":{\"parent\":\"s\",\"at\":2,\"reason\":\"r\"}}",
        "{\"session\":\"s\",\"branch\":\"s/1\",\"step\":2,\"kind\":\"outcome\",\"ts\":\"2026-11-29T17:00:00.000005Z\"," +
            "\"data\":{\"reward\":1,\"label\":\"ok\"}}",
        "");

    static final String SWE_AGENT = "{\"history\":[{\"role\":\"system\",\"content\":\"sys\"}," +
        "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"fix it\"}]}," +
        "{\"role\":\"assistant\",\"content\":\"look\",\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\"," +
        "\"function\":{\"name\":\"ls\",\"arguments\":\"{\\\"p\\\":1}\"}}]}," +
        "{\"role\":\"tool\",\"content\":\"a.py\",\"tool_call_ids\":[\"c1\"]}," +
        "{\"role\":\"assistant\",\"content\":\"run\",\"action\":\"python a.py\"}," +
        "{\"role\":\"user\",\"content\":\"ok\"}," +
        "{\"role\":\"user\",\"content\":\"demo\",\"is_demo\":true}]," +
        "\"info\":{\"exit_status\":\"submitted\"},\"replay_config\":\"{\\\"agent\\\":{\\\"model\\\":{\\\"name\\\":\\\"gpt\\\"}}}\"}";

    static final String OPENHANDS = "[" +
        "{\"id\":0,\"timestamp\":\"2025-01-27T22:45:18.123\",\"source\":\"user\",\"action\":\"message\",\"args\":{\"content\":\"hi\"}}," +
        "{\"id\":1,\"timestamp\":\"2025-01-27T22:45:19.000\",\"source\":\"agent\",\"action\":\"run\",\"args\":{\"command\":\"ls\"}," +
        "\"tool_call_metadata\":{\"function_name\":\"execute_bash\",\"tool_call_id\":\"t1\",\"model_response\":{\"id\":\"r1\"," +
        "\"model\":\"m\",\"choices\":[{\"message\":{\"content\":\"x\",\"tool_calls\":[{\"id\":\"t1\",\"function\":" +
        "{\"name\":\"execute_bash\",\"arguments\":\"{}\"}}]}}],\"usage\":{\"prompt_tokens\":1}}}}," +
        "{\"id\":2,\"timestamp\":\"2025-01-27T22:45:20.000\",\"source\":\"agent\",\"observation\":\"run\",\"content\":\"a.py\",\"cause\":1," +
        "\"tool_call_metadata\":{\"function_name\":\"execute_bash\",\"tool_call_id\":\"t1\"}}," +
        "{\"id\":3,\"timestamp\":\"2025-01-27T22:45:21.000\",\"source\":\"agent\",\"observation\":\"null\",\"content\":\"\",\"cause\":0}," +
        "{\"id\":4,\"timestamp\":\"2025-01-27T22:45:22.000\",\"source\":\"agent\",\"action\":\"finish\",\"message\":\"bye\"}]";

    static final String OPENAI_CHAT = String.join("\n",
        "{\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"ls?\"}," +
            "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\"," +
            "\"function\":{\"name\":\"ls\",\"arguments\":\"{}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"c1\"," +
            "\"content\":\"a.py\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"one\"}]}]," +
            "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"ls\"}}]}",
        "{\"messages\":[{\"role\":\"developer\",\"content\":\"x\"},{\"role\":\"user\",\"content\":\"hi\"}]}",
        "");

    enum Format
    {
        EVENTS("events", ImportRun.EVENTS, "jsonl", true),
        SWE_AGENT("swe-agent", ImportRun.SWE_AGENT, "traj", false),
        OPENHANDS("openhands", ImportRun.OPENHANDS, "json", false),
        OPENAI_CHAT("openai-chat", ImportRun.OPENAI_CHAT, "jsonl", true);

        final String name;
        final String seed;
        final String extension;
        final boolean lines;

        Format(final String name, final String seed, final String extension, final boolean lines)
        {
            this.name = name;
            this.seed = seed;
            this.extension = extension;
            this.lines = lines;
        }
    }

    private final Path directory;
    private final String store;
    private final AtomicInteger files = new AtomicInteger();
    private String sessions;

    /**
     * Creates a store in {@code directory} holding one imported session, so that there is something to keep.
     */
    ImportRun(final Path directory) throws IOException
    {
        this.directory = directory;
        this.store = directory.resolve("store").toString();
        final Path seed = write(Format.EVENTS, ImportRun.EVENTS.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        final Cli.Result result = Cli.run("import", "--format", "events", "--store", store, seed.toString());
        assertEquals(0, result.code(), result.err());
        sessions = listing();
    }

    String store()
    {
        return store;
    }

    /**
     * @return a new file of the format with these bytes, under a name no other file of this run has.
     */
    Path write(final Format format, final byte[] content) throws IOException
    {
        final Path file = directory.resolve("in-" + files.incrementAndGet() + "." + format.extension);
        Files.write(file, content);
        return file;
    }

    /**
     * Imports the files and checks the outcome: a success, or a rejection that keeps the store unchanged.
     *
     * @return the result.
     */
    Cli.Result importAny(final Format format, final Path... inputs)
    {
        final Cli.Result result = run(format, inputs);
        if (result.code() == 0)
        {
            assertEquals("", result.err());
            sessions = listing();
        }
        else
        {
            assertRejected(result, inputs);
        }
        return result;
    }

    /**
     * Imports the files and checks that the import is rejected properly.
     *
     * @return the error line after {@code forkline: FILE:}, starting with the line number where there is one.
     */
    String importRejected(final Format format, final Path... inputs)
    {
        final Cli.Result result = run(format, inputs);
        assertRejected(result, inputs);
        final String line = result.err().strip();
        for (final Path input : inputs)
        {
            final String prefix = "forkline: " + input + ":";
            if (line.startsWith(prefix))
            {
                return line.substring(prefix.length()).strip();
            }
        }
        throw new AssertionError("unreachable: " + line);
    }

    /**
     * Checks a file with a dry run against a store path where there is none, so that no store is ever opened or
     * created: the readers either reject the file (one line naming it, exit code 2) or accept it (exit code 0,
     * nothing on stderr). Cheap enough to try thousands of variants.
     *
     * @return true when the readers accepted the file.
     */
    boolean readersAccept(final Format format, final Path input) throws IOException
    {
        final Path noStore = directory.resolve("no-store");
        final String[] args = {"import", "--dry-run", "--format", format.name, "--store", noStore.toString(), input.toString()};
        final Cli.Result result = bounded(args);
        final String err = result.err();
        assertFalse(Files.exists(noStore), "a dry run creates no store");
        if (result.code() == 0)
        {
            assertEquals("", err);
            assertTrue(result.out().startsWith("checked "), result.out());
            return true;
        }
        assertEquals(2, result.code(), () -> "exit code for " + input + ": " + err);
        assertEquals(1, err.lines().count(), () -> "one line: " + err);
        assertTrue(err.startsWith("forkline: " + input + ":"), () -> "names the file: " + err);
        assertFalse(err.contains("internal error") || err.contains("Exception"), err);
        return false;
    }

    private Cli.Result run(final Format format, final Path... inputs)
    {
        final String[] args = new String[5 + inputs.length];
        args[0] = "import";
        args[1] = "--format";
        args[2] = format.name;
        args[3] = "--store";
        args[4] = store;
        for (int i = 0; i < inputs.length; i++)
        {
            args[5 + i] = inputs[i].toString();
        }
        return bounded(args);
    }

    /**
     * Runs a command on the one import thread and fails when it takes longer than {@link #TIMEOUT}. One thread
     * for all: Chronicle Queue keeps per-thread state that a thread for each command would pile up.
     */
    private static Cli.Result bounded(final String[] args)
    {
        final Future<Cli.Result> result = IMPORTER.submit(() -> Cli.run(args));
        try
        {
            return result.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (final TimeoutException ex)
        {
            result.cancel(true);
            throw new AssertionError("no result within " + TIMEOUT + ": " + String.join(" ", args));
        }
        catch (final InterruptedException | ExecutionException ex)
        {
            throw new AssertionError(String.join(" ", args), ex);
        }
    }

    private void assertRejected(final Cli.Result result, final Path... inputs)
    {
        final String err = result.err();
        assertEquals(2, result.code(), () -> "exit code for " + Arrays.toString(inputs) + ": " + err);
        assertEquals("", result.out());
        assertEquals(1, err.lines().count(), () -> "one line: " + err);
        assertTrue(Arrays.stream(inputs).anyMatch(file -> err.startsWith("forkline: " + file + ":")),
            () -> "names the file: " + err);
        assertFalse(err.contains("internal error") || err.contains("Exception"), err);
        assertEquals(sessions, listing(), "a failed import leaves the store unchanged");
    }

    private String listing()
    {
        final Cli.Result ls = Cli.run("ls", "--json", "--store", store);
        assertEquals(0, ls.code(), ls.err());
        return ls.out();
    }
}
