package dev.forkline.tools;

import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The temporary files of export ({@code .FILE.PID.part}) and salvage (its hidden directory), with real child processes
 * stopped at a random moment while they write them: SIGINT removes them on the way out; after SIGKILL, which nothing
 * survives, the next run of the same command removes them. {@code -Dforkline.temp.rounds=N} runs more rounds of each.
 */
class TemporaryFilesTest
{
    private static final int ROUNDS = Integer.getInteger("forkline.temp.rounds", 5);
    private static final int MAX_ATTEMPTS = 10;

    @TempDir
    static Path dir;
    private static Path store;

    @TempDir
    Path out;

    /** A store whose export and salvage take long enough to be stopped while they write. */
    @BeforeAll
    static void recordABigStore()
    {
        store = dir.resolve("store");
        try (Store writer = Store.open(store))
        {
            final String pad = "abcdefghij".repeat(100);
            for (int i = 0; i < 1500; i++)
            {
                final BranchWriter session = writer.startSession("s" + i, "{\"agent\":\"a\"}");
                for (int j = 1; j <= 20; j++)
                {
                    session.append(j % 2 == 1 ? EventKind.USER : EventKind.MODEL_RESPONSE, "{\"content\":\"" + j + pad + "\"}");
                }
            }
        }
    }

    @AfterAll
    static void noStrayFileInTheStore() throws IOException
    {
        assertEquals(List.of(), hidden(dir));
    }

    @Test
    void anExportStoppedBySigintLeavesNoPartFile() throws Exception
    {
        final Path target = out.resolve("events.jsonl");
        for (int round = 0; round < ROUNDS; round++)
        {
            stopWhileWriting("INT", target, Cli.command("export", "--format", "openai-chat", "-o", target.toString(),
                "--store", store.toString()));
            assertEquals(List.of(), hidden(out), "round " + round);
            assertFalse(Files.exists(target), "an export that was stopped writes nothing at the target");
        }
    }

    @Test
    void thePartFileOfAnExportKilledOutrightIsRemovedByTheNextExport() throws Exception
    {
        final Path target = out.resolve("events.jsonl");
        for (int round = 0; round < ROUNDS; round++)
        {
            stopWhileWriting("KILL", target, Cli.command("export", "--format", "openai-chat", "-o", target.toString(),
                "--store", store.toString()));
            assertEquals(1, hidden(out).size(), "SIGKILL leaves the part file; the next export, killed too, removed the " +
                "one before: " + hidden(out));
        }
        final Path other = out.resolve("other.jsonl");
        assertEquals(0, Cli.run("export", "-o", other.toString(), "--store", store.toString(), "--session", "s1").code());
        assertEquals(1, hidden(out).size(), "an export to another file leaves it");

        final Cli.Result next = Cli.run("export", "--format", "openai-chat", "-o", target.toString(), "--store", store.toString());
        assertEquals(0, next.code(), next.err());
        assertEquals(List.of(), hidden(out), "the next export to the same file removes them");
        assertEquals(1500, Files.readAllLines(target).size());
    }

    @Test
    void aSalvageStoppedBySigintLeavesNoHiddenDirectory() throws Exception
    {
        final Path target = out.resolve("saved");
        for (int round = 0; round < ROUNDS; round++)
        {
            stopWhileWriting("INT", target, Cli.command("salvage", "--store", store.toString(), target.toString()));
            assertEquals(List.of(), hidden(out), "round " + round);
            assertFalse(Files.exists(target), "a salvage that was stopped writes nothing at the target");
        }
    }

    @Test
    void theHiddenDirectoryOfASalvageKilledOutrightIsRemovedByTheNextSalvage() throws Exception
    {
        final Path target = out.resolve("saved");
        for (int round = 0; round < ROUNDS; round++)
        {
            stopWhileWriting("KILL", target, Cli.command("salvage", "--store", store.toString(), target.toString()));
            assertEquals(1, hidden(out).size(), "SIGKILL leaves the hidden directory; the next salvage, killed too, " +
                "removed the one before: " + hidden(out));
        }
        final Cli.Result next = Cli.run("salvage", "--store", store.toString(), target.toString());
        assertEquals(0, next.code(), next.err());
        assertEquals(List.of(), hidden(out), "the next salvage into the same target removes them");
        assertTrue(next.out().contains("SALVAGED 31500 of 31500 sound events"), next.out());
    }

    /**
     * Starts the command, waits for its temporary file next to {@code target}, lets it write for a random moment and
     * sends it the signal; a run that ended before the signal is tried again.
     */
    private void stopWhileWriting(final String signal, final Path target, final List<String> command) throws Exception
    {
        final Random random = new Random();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++)
        {
            final Process process = new ProcessBuilder(withDefaultSigint(command)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try
            {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (process.isAlive() && !hasItsOwn(target.getParent(), process.pid()) && System.nanoTime() < deadline)
                {
                    Thread.sleep(1);
                }
                Thread.sleep(random.nextInt(40));
                if (!process.isAlive())
                {
                    cleanUp(target); // it finished first: not a stop while writing
                    continue;
                }
                if ("KILL".equals(signal))
                {
                    process.destroyForcibly();
                }
                else
                {
                    assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor());
                }
                assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the command did not stop");
                if (process.exitValue() == 0)
                {
                    cleanUp(target); // it finished just before the signal
                    continue;
                }
                assertEquals("KILL".equals(signal) ? 137 : 130, process.exitValue());
                return;
            }
            finally
            {
                process.destroyForcibly();
            }
        }
        fail("no run of " + command + " was still writing when stopped, in " + MAX_ATTEMPTS + " attempts");
    }

    /**
     * @return the command with SIGINT set back to its default: a process started in the background (as a test runner
     * may be) ignores SIGINT, and so would its children.
     */
    private static List<String> withDefaultSigint(final List<String> command) throws IOException
    {
        final Path status = Path.of("/proc/self/status");
        final boolean ignored = Files.exists(status) && Files.readAllLines(status).stream()
            .filter(line -> line.startsWith("SigIgn:")).anyMatch(line -> (Long.parseLong(line.substring(7).trim(), 16) & 2) != 0);
        if (!ignored)
        {
            return command;
        }
        final List<String> reset = new ArrayList<>(List.of("env", "--default-signal=INT"));
        reset.addAll(command);
        return reset;
    }

    private static void cleanUp(final Path target) throws IOException
    {
        if (Files.isDirectory(target))
        {
            try (Stream<Path> walk = Files.walk(target))
            {
                for (final Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList())
                {
                    Files.delete(path);
                }
            }
        }
        Files.deleteIfExists(target);
    }

    /**
     * @return true when {@code directory} holds a temporary file or directory of the process {@code pid}.
     */
    private static boolean hasItsOwn(final Path directory, final long pid) throws IOException
    {
        return hidden(directory).stream().map(p -> p.getFileName().toString())
            .anyMatch(name -> name.contains("." + pid + ".") || name.contains("-" + pid + "-"));
    }

    /**
     * @return the hidden files and directories in {@code directory}.
     */
    private static List<Path> hidden(final Path directory) throws IOException
    {
        try (Stream<Path> entries = Files.list(directory))
        {
            return entries.filter(p -> p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }
}
