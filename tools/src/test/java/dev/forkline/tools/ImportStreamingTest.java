package dev.forkline.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * An import writes its events as it reads them, into one batch: a bad entry after many good ones fails the import with
 * the line that names it, the events written before it are rolled back (verify sees them as a rolled-back batch, the
 * store does not), and the same import of the corrected file then succeeds. A dry run checks and writes nothing.
 */
class ImportStreamingTest
{
    private static final Pattern ROLLED_BACK = Pattern.compile("ROLLED BACK batch: (\\d+) events");
    private static final long SIZE = 300_000;

    @TempDir
    Path dir;

    private String store()
    {
        return dir.resolve("store").toString();
    }

    private String export()
    {
        final Cli.Result export = Cli.run("export", "--format", "events", "--store", store());
        assertEquals(0, export.code(), export.err());
        return export.out();
    }

    /**
     * @return a path for a file named {@code name} in a directory of its own (a bad and a good file of one session).
     */
    private Path file(final String directory, final String name) throws IOException
    {
        return Files.createDirectories(dir.resolve(directory)).resolve(name);
    }

    private void seed() throws IOException
    {
        final GeneratedImports.File seed = GeneratedImports.events(dir.resolve("seed.jsonl"), "seed-", 10_000, false);
        assertEquals(0, Cli.run("import", "--format", "events", "--store", store(), seed.path().toString()).code());
    }

    /**
     * Imports the bad file and then the good one, and checks what each left.
     */
    private void failsThenSucceeds(final String format, final GeneratedImports.File bad, final GeneratedImports.File good,
        final String error) throws IOException
    {
        seed();
        final String before = export();

        final Cli.Result failed = Cli.run("import", "--format", format, "--store", store(), bad.path().toString());
        assertEquals(2, failed.code(), failed.err());
        assertEquals("forkline: " + bad.path() + error + "\n", failed.err());
        assertEquals("", failed.out());
        assertEquals(before, export(), "the store is as it was");
        final Cli.Result verify = Cli.run("verify", "--store", store());
        assertEquals(0, verify.code(), verify.out());
        final Matcher rolledBack = ROLLED_BACK.matcher(verify.out());
        assertTrue(rolledBack.find(), verify.out());
        assertEquals(bad.beforeBad(), Long.parseLong(rolledBack.group(1)),
            "the events before the bad entry were written as they were read, and rolled back");

        final Cli.Result imported = Cli.run("import", "--format", format, "--store", store(), good.path().toString());
        assertEquals(0, imported.code(), imported.err());
        assertTrue(imported.out().startsWith("imported " + good.events() + " events in " + good.sessions() + " sessions: "),
            imported.out());
        assertTrue(export().startsWith(before), "what the store held is kept");
        assertEquals(0, Cli.run("verify", "--store", store()).code());
    }

    @Test
    void anEventsLineAfterManyGoodOnesFailsTheImportAndTheCorrectedFileImports() throws IOException
    {
        final GeneratedImports.File bad = GeneratedImports.events(dir.resolve("bad.jsonl"), "s-", SIZE, true);
        final GeneratedImports.File good = GeneratedImports.events(dir.resolve("good.jsonl"), "s-", SIZE, false);
        assertTrue(bad.badEntryLine() > 200, "after many good entries");
        failsThenSucceeds("events", bad, good, ":" + bad.badEntryLine() + ": step 500 of s-" + (good.sessions() - 1) +
            " should be 100");
    }

    @Test
    void aSweAgentMessageAfterManyGoodOnesFailsTheImportAndTheCorrectedFileImports() throws IOException
    {
        final GeneratedImports.File bad = GeneratedImports.sweAgent(file("bad", "run.traj"), SIZE, true);
        final GeneratedImports.File good = GeneratedImports.sweAgent(file("good", "run.traj"), SIZE, false);
        assertTrue(bad.badEntryLine() > 200, "after many good entries");
        failsThenSucceeds("swe-agent", bad, good, ": history[" + bad.badEntryLine() + "]: no \"role\"");
    }

    @Test
    void anOpenHandsEventAfterManyGoodOnesFailsTheImportAndTheCorrectedFileImports() throws IOException
    {
        final GeneratedImports.File bad = GeneratedImports.openHands(file("bad", "run.json"), SIZE, false, true);
        final GeneratedImports.File good = GeneratedImports.openHands(file("good", "run.json"), SIZE, false, false);
        assertTrue(bad.badEntryLine() > 200, "after many good entries");
        failsThenSucceeds("openhands", bad, good, ": event " + bad.badEntryLine() + ": neither an action nor an observation");
    }

    @Test
    void aReversedOpenHandsArrayIsReadInTheOrderOfItsIdsAndItsLastEventStillFailsTheImport() throws IOException
    {
        // the bad event comes first in the array and last in the order of the ids
        final GeneratedImports.File bad = GeneratedImports.openHands(file("bad", "run.json"), SIZE, true, true);
        final GeneratedImports.File good = GeneratedImports.openHands(file("good", "run.json"), SIZE, true, false);
        assertTrue(Files.readString(bad.path()).startsWith("[\n{\"id\":" + bad.badEntryLine() + ","));
        failsThenSucceeds("openhands", bad, good, ": event " + bad.badEntryLine() + ": neither an action nor an observation");

        final List<String> kinds = Fixtures.kinds(Fixtures.events(store(), "run"));
        assertEquals(good.events(), kinds.size());
        assertEquals(List.of("session.start", "user", "model.response", "user"), kinds.subList(0, 4), "id 0 first");
        final List<Instant> times = Fixtures.events(store(), "run").stream().map(event -> Instant.parse(event.get("ts").asText()))
            .toList();
        assertTrue(times.equals(times.stream().sorted().toList()), "in the order of the ids, and of the times");
    }

    @Test
    void anOpenAiChatLineAfterManyGoodOnesFailsTheImportAndTheCorrectedFileImports() throws IOException
    {
        final GeneratedImports.File bad = GeneratedImports.openAiChat(file("bad", "chat.jsonl"), SIZE, true);
        final GeneratedImports.File good = GeneratedImports.openAiChat(file("good", "chat.jsonl"), SIZE, false);
        assertTrue(bad.badEntryLine() > 50, "after many good lines");
        failsThenSucceeds("openai-chat", bad, good, ":" + bad.badEntryLine() + ": messages[0] has unknown role 'robot'");
    }

    @Test
    void aDryRunChecksEverythingAndWritesNothing() throws IOException
    {
        final GeneratedImports.File bad = GeneratedImports.events(dir.resolve("bad.jsonl"), "s-", 300_000, true);
        final GeneratedImports.File good = GeneratedImports.events(dir.resolve("good.jsonl"), "s-", 300_000, false);

        final Cli.Result fresh = Cli.run("import", "--dry-run", "--format", "events", "--store", store(), good.path().toString());
        assertEquals(0, fresh.code(), fresh.err());
        assertTrue(fresh.out().startsWith("checked " + good.events() + " events in " + good.sessions() + " sessions: s-0, "),
            fresh.out());
        assertTrue(fresh.out().endsWith(" (nothing written)\n"), fresh.out());
        assertFalse(Files.exists(dir.resolve("store")), "no store is created");

        seed();
        final String before = export();
        final Cli.Result refused = Cli.run("import", "--dry-run", "--format", "events", "--store", store(), bad.path().toString());
        assertEquals(2, refused.code());
        assertEquals("forkline: " + bad.path() + ":" + bad.badEntryLine() + ": step 500 of s-" + (bad.sessions() - 1) +
            " should be 100\n", refused.err());

        final Path seed = dir.resolve("seed.jsonl");
        final Cli.Result again = Cli.run("import", "--dry-run", "--format", "events", "--store", store(), seed.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().startsWith("forkline: " + seed + ":1: session 'seed-0' is in the store already"), again.err());

        assertEquals(before, export());
        final Cli.Result verify = Cli.run("verify", "--store", store());
        assertFalse(verify.out().contains("batch"), "a dry run begins no batch: " + verify.out());
        assertEquals(0, Cli.run("import", "--format", "events", "--store", store(), good.path().toString()).code());
    }

    @Test
    void aFailedImportThatCreatedTheStoreLeavesNone() throws IOException
    {
        final GeneratedImports.File bad = GeneratedImports.events(dir.resolve("bad.jsonl"), "s-", 100_000, true);
        final Path store = dir.resolve("new").resolve("store");
        final Cli.Result failed = Cli.run("import", "--format", "events", "--store", store.toString(), bad.path().toString());
        assertEquals(2, failed.code());
        assertFalse(Files.exists(dir.resolve("new")), "the directories the import made are gone");

        Files.createDirectories(store);
        assertEquals(2, Cli.run("import", "--format", "events", "--store", store.toString(), bad.path().toString()).code());
        assertTrue(Files.isDirectory(store), "a directory that was there stays");
    }
}
