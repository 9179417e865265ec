package dev.forkline.tools;

import dev.forkline.kernel.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Imports of files larger than the heap of the JVM that imports them, in every format: the readers hold
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
    /** Twice the heap: the whole file would not fit in it, let alone its events. */
    private static final long SIZE = BIG ? 300 * MIB : 2 * HEAP;

    @TempDir
    Path dir;

    /**
     * Imports in a child JVM whose heap is {@link #HEAP}, and checks that every event is in the store.
     */
    private void importsWithASmallHeap(final String format, final GeneratedImports.File file) throws Exception
    {
        assertTrue(Files.size(file.path()) >= 2 * HEAP, "the file is larger than the heap: " + Files.size(file.path()));
        final Path store = dir.resolve("store-" + format);
        final Cli.Result result = ChildCli.run(List.of("-Xmx" + HEAP / MIB + "m", "-XX:MaxDirectMemorySize=64m",
            "-XX:+UseSerialGC", "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log")), BIG ? 30 : 5,
            "import", "--format", format, "--store", store.toString(), file.path().toString());
        assertEquals(0, result.code(), result.err());
        assertFalse(result.err().contains("OutOfMemoryError"), result.err());
        assertTrue(result.out().startsWith("imported " + file.events() + " events in " + file.sessions() + " sessions: "),
            result.out().substring(0, Math.min(200, result.out().length())));

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

    @Test
    void anEventsFileLargerThanTheHeapImports() throws Exception
    {
        importsWithASmallHeap("events", GeneratedImports.events(dir.resolve("big.jsonl"), "big-", SIZE, false));
    }

    @Test
    void anOpenAiChatFileLargerThanTheHeapImports() throws Exception
    {
        importsWithASmallHeap("openai-chat", GeneratedImports.openAiChat(dir.resolve("chat.jsonl"), SIZE, false));
    }

    @Test
    void aSweAgentTrajectoryLargerThanTheHeapImports() throws Exception
    {
        importsWithASmallHeap("swe-agent", GeneratedImports.sweAgent(dir.resolve("run.traj"), SIZE, false));
    }

    @Test
    void aReversedOpenHandsArrayLargerThanTheHeapImportsInTheOrderOfItsIds() throws Exception
    {
        importsWithASmallHeap("openhands", GeneratedImports.openHands(dir.resolve("run.json"), SIZE, true, false));
    }
}
