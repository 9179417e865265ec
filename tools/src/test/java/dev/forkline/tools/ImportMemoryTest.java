package dev.forkline.tools;

import dev.forkline.kernel.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Imports of files several times larger than the heap of the JVM that imports them, in every format: the readers hold
 * an entry at a time, never the file, so each succeeds in a child JVM with a heap of {@value #HEAP_MIB} MiB (and
 * direct memory for the journal's ring), and the store then holds every event.
 * <p>
 * {@code -Dforkline.import.big=true} imports files of 300 MiB each with a heap of 64 MiB.
 */
class ImportMemoryTest
{
    private static final long MIB = 1024 * 1024;
    private static final boolean BIG = Boolean.getBoolean("forkline.import.big");
    private static final int HEAP_MIB = 16;
    private static final long HEAP = (BIG ? 64 : HEAP_MIB) * MIB;
    /** The files of the default run, as times the heap: the line formats run faster, so theirs is larger. */
    private static final long LINES_SIZE = BIG ? 300 * MIB : 3 * HEAP;
    private static final long DOCUMENT_SIZE = BIG ? 300 * MIB : 2 * HEAP;

    @TempDir
    Path dir;

    /**
     * Imports in a child JVM whose heap is {@link #HEAP}, and checks that every event is in the store.
     */
    private void importsWithASmallHeap(final String format, final GeneratedImports.File file) throws Exception
    {
        assertTrue(Files.size(file.path()) >= 2 * HEAP, "the file is larger than the heap: " + Files.size(file.path()));
        final Path store = dir.resolve("store-" + format);
        final Process process = Cli.start(List.of("-Xmx" + HEAP / MIB + "m", "-XX:MaxDirectMemorySize=64m", "-XX:+UseSerialGC",
            "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log")), Map.of(),
            "import", "--format", format, "--store", store.toString(), file.path().toString());
        process.getOutputStream().close();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final Thread drain = new Thread(() -> copy(process.getErrorStream(), err), "import-stderr");
        drain.start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(BIG ? 30 : 5, TimeUnit.MINUTES), "the import ends");
        drain.join();
        final String errors = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), errors);
        assertFalse(errors.contains("OutOfMemoryError"), errors);
        assertTrue(out.startsWith("imported " + file.events() + " events in " + file.sessions() + " sessions: "),
            out.substring(0, Math.min(200, out.length())));

        try (Store read = Store.openReadOnly(store))
        {
            long events = 0;
            for (final String session : read.sessions())
            {
                events += read.branch(session).length();
            }
            assertEquals(file.events(), events, "every event is in the store");
            assertEquals(file.sessions(), read.sessions().size());
        }
    }

    private static void copy(final InputStream in, final ByteArrayOutputStream out)
    {
        try (in)
        {
            in.transferTo(out);
        }
        catch (final IOException ignore)
        {
            // the process ended
        }
    }

    @Test
    void anEventsFileLargerThanTheHeapImports() throws Exception
    {
        importsWithASmallHeap("events", GeneratedImports.events(dir.resolve("big.jsonl"), "big-", LINES_SIZE, false));
    }

    @Test
    void anOpenAiChatFileLargerThanTheHeapImports() throws Exception
    {
        importsWithASmallHeap("openai-chat", GeneratedImports.openAiChat(dir.resolve("chat.jsonl"), LINES_SIZE, false));
    }

    @Test
    void aSweAgentTrajectoryLargerThanTheHeapImports() throws Exception
    {
        importsWithASmallHeap("swe-agent", GeneratedImports.sweAgent(dir.resolve("run.traj"), DOCUMENT_SIZE, false));
    }

    @Test
    void aReversedOpenHandsArrayLargerThanTheHeapImportsInTheOrderOfItsIds() throws Exception
    {
        importsWithASmallHeap("openhands", GeneratedImports.openHands(dir.resolve("run.json"), DOCUMENT_SIZE, true, false));
    }
}
