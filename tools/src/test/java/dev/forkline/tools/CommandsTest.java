package dev.forkline.tools;

import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class CommandsTest
{
    @TempDir
    Path dir;

    private String store()
    {
        return dir.resolve("store").toString();
    }

    private String demoSession()
    {
        final Cli.Result demo = Cli.run("demo", "--store", store(), "-o", dir.resolve("demo.jsonl").toString());
        assertEquals(0, demo.code(), demo.err());
        return sessionOf(demo);
    }

    private static String sessionOf(final Cli.Result demo)
    {
        final String recorded = demo.lines().get(1);
        assertTrue(recorded.startsWith("2. recorded session "), demo.out());
        return recorded.split(" ")[3];
    }

    @Test
    void demoRecordsForksReplaysAndExports() throws IOException
    {
        final Cli.Result demo = Cli.run("demo", "--store", store(), "-o", dir.resolve("demo.jsonl").toString());
        assertEquals(0, demo.code(), demo.err());
        final String session = sessionOf(demo);
        final Path work = dir.resolve("forkline-demo-files");
        assertEquals("1. wrote the agent's notes files groceries.txt and rent.txt to " + work.toAbsolutePath(), demo.lines().get(0));
        assertTrue(Files.readString(work.resolve("rent.txt")).contains("1200 / 3"), "the notes are next to the store");
        assertTrue(demo.lines().get(1).endsWith(" live (16 steps, 10 model and tool calls): " +
            "\"Read [groceries.txt, rent.txt]. 19 + 23 = 42. 4 * 2.5 = 10. 1200 / 3 = 400.\" → correct reward=1"), demo.out());
        assertTrue(demo.lines().get(2).startsWith("3. forked " + session + "@5 as " + session + "/1: "), demo.out());
        assertTrue(demo.lines().get(2).endsWith(" went on live (6 calls): " +
            "\"Read [groceries.txt]. 19 + 23 = 42. 4 * 2.5 = 10.\" → partial reward=0.67"), demo.out());
        assertEquals("4. replayed " + session + " with a new agent: the same answer, 0 of 10 model and tool calls made " +
            "(the recording served them all)", demo.lines().get(3));
        assertTrue(demo.out().contains("\n" + session + "  16 steps  correct reward=1\n" +
            "└── " + session + "/1  @5  14 steps  partial reward=0.67\n"), demo.out());
        final List<String> exported = Files.readAllLines(dir.resolve("demo.jsonl"));
        assertEquals(26, exported.size());
        final List<String> examples = Files.readAllLines(dir.resolve("demo-chat.jsonl"));
        assertEquals(2, examples.size(), "one training example a branch");
        assertTrue(demo.out().contains("and 2 training examples (openai-chat, one a branch) to " + dir.resolve("demo-chat.jsonl")),
            demo.out());
        assertEquals(String.join("\n", exported) + "\n", Cli.run("export", "--session", session, "--store", store()).out());

        final Cli.Result ls = Cli.run("ls", "--store", store());
        assertEquals(3, ls.lines().size(), "the replay wrote no branch: " + ls.out());
        assertTrue(ls.lines().get(1).startsWith(session + " "), ls.out());
        assertTrue(ls.lines().get(1).endsWith("correct reward=1"), ls.out());
        assertTrue(ls.lines().get(2).contains(session + "@5"), ls.out());
        assertTrue(ls.lines().get(2).endsWith("partial reward=0.67"), ls.out());

        final Cli.Result stats = Cli.run("stats", "--json", "--store", store());
        final var node = Json.parseOrNull(stats.out());
        assertEquals(26, node.get("events").asLong());
        assertEquals(2, node.get("branches").asLong());
        assertEquals(10, node.get("kinds").get("tool.result").asLong(), "6 recorded, the override and 3 on the fork");
        assertEquals(2, node.get("kinds").get("outcome").asLong());
        assertEquals("OK: 26 records, 1 sessions, 2 branches, 25 indexed steps",
            Cli.run("verify", "--store", store()).out().strip());
    }

    @Test
    void demoForkSharesItsPrefixAndStartsWithTheOverriddenListing()
    {
        final String s = demoSession();
        for (int step = 0; step < 5; step++)
        {
            final Cli.Result shared = Cli.run("show", s + "/1@" + step, "--json", "--store", store());
            assertTrue(shared.out().startsWith("{\"session\":\"" + s + "\",\"branch\":\"" + s + "\",\"step\":" + step + ","),
                "step " + step + " is the parent's: " + shared.out());
        }
        final var listing = Json.parseOrNull(Cli.run("show", s + "/1@5", "--json", "--store", store()).out()).get("data");
        assertEquals("list_files", listing.get("name").asText());
        assertEquals("groceries.txt\n", listing.get("content").asText());
        final var original = Json.parseOrNull(Cli.run("show", s + "@5", "--json", "--store", store()).out()).get("data");
        assertEquals("groceries.txt\nrent.txt\n", original.get("content").asText());
        assertEquals(listing.get("tool_call_id"), original.get("tool_call_id"), "the override answers the recorded call");
        final String fork = Cli.run("show", s + "/1", "--store", store()).out();
        assertFalse(fork.contains("read_file({\"path\":\"rent.txt\"})"), "the fork never reads the missing file");
    }

    @Test
    void showDiffAndTreeDescribeTheBranches()
    {
        final String s = demoSession();
        final Cli.Result show = Cli.run("show", s + "/1", "--store", store());
        assertEquals(15, show.lines().size());
        assertTrue(show.lines().get(0).startsWith("branch " + s + "/1, forked from " + s + " at step 5, 14 steps"));
        assertTrue(show.lines().get(6).matches(" {4}5 {2}tool\\.result .*list_files → \"groceries\\.txt\""), show.lines().get(6));
        assertFalse(show.out().contains("\033["), "no colours when stdout is not a terminal");

        final Cli.Result one = Cli.run("show", s + "/1@5", "--json", "--store", store());
        assertTrue(one.out().startsWith("{\"session\":\"" + s + "\",\"branch\":\"" + s + "/1\",\"step\":5,\"kind\":\"tool.result\""));

        final Cli.Result diff = Cli.run("diff", s, s + "/1", "--store", store());
        assertEquals(1, diff.code());
        assertEquals(s + " and " + s + "/1 share 5 steps; first difference at step 5; 10 differing steps", diff.lines().get(0));
        assertEquals(List.of("@5", "@6", "@8", "@9", "@10", "@11", "@12", "@13", "@14", "@15"),
            diff.lines().stream().filter(l -> l.startsWith("@")).toList(), "step 7 reads groceries.txt on both branches");
        assertEquals(0, Cli.run("diff", s, s, "--store", store()).code());

        final Cli.Result tree = Cli.run("tree", s, "--json", "--store", store());
        assertEquals(5, Json.parseOrNull(tree.out()).get("children").get(0).get("fork_step").asLong());
    }

    @Test
    void forkWithAnOverridePutsThatEventAtTheStep() throws IOException
    {
        final String s = demoSession();
        final Path override = dir.resolve("override.json");
        Files.writeString(override, "{\"kind\":\"tool.result\",\"data\":{\"tool_call_id\":\"call_1\",\"name\":\"list_files\"," +
            "\"content\":\"nothing\",\"error\":true}}");
        final Cli.Result fork = Cli.run("fork", s + "@5", "--override", override.toString(), "--reason", "empty", "--store", store());
        assertEquals(0, fork.code(), fork.err());
        assertEquals(s + "/2\n", fork.out());
        final Cli.Result event = Cli.run("show", s + "/2@5", "--store", store());
        assertTrue(event.out().contains("\"content\" : \"nothing\""), event.out());
        assertEquals(6, Cli.run("show", s + "/2", "--store", store()).lines().size() - 1);
        assertTrue(Cli.run("show", s + "/2@4", "--json", "--store", store()).out().contains("\"branch\":\"" + s + "\""),
            "the shared prefix is the parent's");
    }

    @Test
    void badInputGivesOneLineAndExitCodeTwo() throws IOException
    {
        final Cli.Result noStore = Cli.run("ls", "--store", dir.resolve("none").toString());
        assertEquals(2, noStore.code());
        assertEquals("forkline: no Forkline store at " + dir.resolve("none") + "\n", noStore.err());

        final String s = demoSession();
        final String before = Cli.run("export", "--store", store()).out();
        assertError("forkline: unknown branch '" + s + "/9'\n", "show", s + "/9", "--store", store());
        assertError("forkline: unknown session 'nope'\n", "tree", "nope", "--store", store());
        assertError("forkline: step 16 is past the head of " + s + " (16 steps)\n", "show", s + "@16", "--store", store());
        assertError("forkline: cannot fork " + s + "@17: the branch has 16 steps (fork at 0..16)\n", "fork", s + "@17", "--store", store());
        assertError("forkline: 'x@y' is not BRANCH@STEP with STEP a number from 0\n", "show", "x@y", "--store", store());
        assertError("forkline: unknown export format 'csv' (known: openai-chat, openai-preference, trl-messages, trl-preference, sharegpt, events)\n", "export", "--format", "csv", "--store", store());

        final Path override = dir.resolve("o.json");
        Files.writeString(override, "{\"kind\":\"tool.result\",\n\"data\": }");
        final Cli.Result bad = Cli.run("fork", s + "@5", "--override", override.toString(), "--store", store());
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("forkline: " + override + ":2: not JSON"), bad.err());

        final Cli.Result unknownOption = Cli.run("ls", "--colour", "--store", store());
        assertEquals(2, unknownOption.code());
        assertEquals("forkline: Unknown option: '--colour' (see 'forkline ls --help')\n", unknownOption.err());

        final Cli.Result debug = Cli.run("show", s + "/9", "--debug", "--store", store());
        assertEquals(2, debug.code());
        assertTrue(debug.err().contains("at dev.forkline.kernel.Store.state"), "--debug prints the stack trace");
        assertEquals(before, Cli.run("export", "--store", store()).out(), "no failed command wrote anything");
    }

    private static void assertError(final String expected, final String... args)
    {
        final Cli.Result result = Cli.run(args);
        assertEquals(2, result.code(), result.out());
        assertEquals(expected, result.err());
        assertEquals("", result.out());
    }

    @Test
    void verifyFindsADamagedEvent() throws IOException
    {
        try (Store store = Store.open(dir.resolve("store")))
        {
            final BranchWriter writer = store.startSession("v", (String)null);
            writer.append(EventKind.USER, "{\"content\":\"MARKER-0123456789\"}");
            writer.append(EventKind.USER, "{\"content\":\"fine\"}");
            writer.end("done");
        }
        assertEquals(0, Cli.run("verify", "--store", store()).code());
        final byte[] marker = "MARKER-0123456789".getBytes(StandardCharsets.UTF_8);
        int flipped = 0;
        try (Stream<Path> files = Files.walk(dir.resolve("store")))
        {
            for (final Path file : files.filter(f -> f.toString().endsWith(".cq4")).toList())
            {
                final byte[] bytes = Files.readAllBytes(file);
                for (int i = 0; i + marker.length <= bytes.length; i++)
                {
                    if (java.util.Arrays.equals(bytes, i, i + marker.length, marker, 0, marker.length))
                    {
                        bytes[i + 7] ^= 1;
                        flipped++;
                    }
                }
                Files.write(file, bytes);
            }
        }
        assertEquals(1, flipped);
        final Cli.Result verify = Cli.run("verify", "--store", store());
        assertEquals(1, verify.code(), verify.out());
        assertTrue(verify.lines().get(0).matches("DAMAGED v@1 in .*\\.cq4 at offset \\d+ \\(journal index 0x[0-9a-f]+\\): checksum mismatch.*"),
            verify.out());
        assertTrue(verify.out().contains("sessions affected: v"), verify.out());
        assertTrue(verify.lines().get(verify.lines().size() - 1).startsWith("FAILED: "), verify.out());
    }

    @Test
    void aJournalFileCutShortGivesOneLineAndVerifyNamesTheCut() throws IOException
    {
        try (Store store = Store.open(dir.resolve("store")))
        {
            final BranchWriter writer = store.startSession("v", (String)null);
            for (int i = 0; i < 100; i++)
            {
                writer.append(EventKind.USER, "{\"content\":\"MARKER-" + i + " " + "y".repeat(200) + "\"}");
            }
        }
        final Path journalFile;
        try (Stream<Path> files = Files.walk(dir.resolve("store")))
        {
            journalFile = files.filter(f -> f.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        // cut inside the record of the 60th event, past its header: every record after it goes
        final byte[] bytes = Files.readAllBytes(journalFile);
        final byte[] marker = "MARKER-60 ".getBytes(StandardCharsets.UTF_8);
        int at = 0;
        while (!java.util.Arrays.equals(bytes, at, at + marker.length, marker, 0, marker.length))
        {
            at++;
        }
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(journalFile,
            java.nio.file.StandardOpenOption.WRITE))
        {
            channel.truncate(at);
        }

        final Cli.Result ls = Cli.run("ls", "--store", store());
        assertEquals(2, ls.code(), ls.err());
        assertEquals("forkline: journal file " + journalFile + " was cut short: " + at + " bytes on disk, but its records " +
            "reach offset ", ls.err().substring(0, ls.err().indexOf("offset ") + "offset ".length()));
        assertTrue(ls.err().endsWith("; the store cannot be opened: run 'forkline verify --store " + store() +
            "' to see what was lost\n"), ls.err());
        assertEquals(1, ls.err().lines().count(), "one line, no stack trace: " + ls.err());

        final Cli.Result verify = Cli.run("verify", "--store", store());
        assertEquals(1, verify.code(), verify.out() + verify.err());
        assertEquals("", verify.err());
        assertTrue(verify.lines().get(0).matches("DAMAGED v@61 in " + java.util.regex.Pattern.quote(journalFile.toString()) +
            " at offset \\d+ \\(journal index 0x[0-9a-f]+\\): the journal file was cut short at " + at +
            " bytes \\(its records reach offset \\d+\\): 40 events from here on are lost; the index snapshot locates all" +
            " of them; the last event before the cut is v@60"), verify.out());
        assertEquals("DAMAGED index: v@61..v@100 are lost with the cut of " + journalFile.getFileName(), verify.lines().get(1));
        assertEquals("sessions affected: v", verify.lines().get(2));
        assertEquals("FAILED: 2 problems; 61 sound events read; the store does not open: a journal file was cut short",
            verify.lines().get(3));
        assertEquals(at, Files.size(journalFile), "verify reads, never writes");
    }

    /** @return the one journal file of the store, with one byte at {@code delta} from {@code marker} flipped, or cut there. */
    private Path damageAt(final String marker, final int delta, final boolean cut) throws IOException
    {
        final Path journalFile;
        try (Stream<Path> files = Files.walk(dir.resolve("store")))
        {
            journalFile = files.filter(f -> f.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        final byte[] bytes = Files.readAllBytes(journalFile);
        final byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        int at = 0;
        while (!java.util.Arrays.equals(bytes, at, at + needle.length, needle, 0, needle.length))
        {
            at++;
        }
        if (cut)
        {
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(journalFile,
                java.nio.file.StandardOpenOption.WRITE))
            {
                channel.truncate(at + delta);
            }
        }
        else
        {
            bytes[at + delta] ^= 1;
            Files.write(journalFile, bytes);
        }
        return journalFile;
    }

    @Test
    void salvageCopiesAStoreCutShortIntoANewStoreAndNamesTheCut() throws IOException
    {
        try (Store store = Store.open(dir.resolve("store")))
        {
            final BranchWriter writer = store.startSession("v", (String)null);
            for (int i = 0; i < 100; i++)
            {
                writer.append(EventKind.USER, "{\"content\":\"MARKER-" + i + " " + "y".repeat(200) + "\"}");
                if (i == 20)
                {
                    final BranchWriter fork = store.fork("v", 10, "again");
                    for (int j = 0; j < 5; j++)
                    {
                        fork.append(EventKind.USER, "{\"content\":\"fork " + j + "\"}");
                    }
                }
            }
        }
        final Path journalFile = damageAt("MARKER-60 ", 0, true);
        final long size = Files.size(journalFile);
        final String target = dir.resolve("saved").toString();

        final Cli.Result salvage = Cli.run("salvage", "--store", store(), target);
        assertEquals(0, salvage.code(), salvage.out() + salvage.err());
        assertEquals("", salvage.err());
        assertEquals(5, salvage.lines().size(), salvage.out());
        assertTrue(salvage.lines().get(0).matches("DAMAGED v@61 in " + java.util.regex.Pattern.quote(journalFile.toString()) +
            " at offset \\d+ \\(journal index 0x[0-9a-f]+\\): the journal file was cut short at " + size +
            " bytes .*: 40 events from here on are lost; .*; the last event before the cut is v@60"), salvage.out());
        assertEquals("DAMAGED index: v@61..v@100 are lost with the cut of " + journalFile.getFileName(), salvage.lines().get(1));
        assertEquals("sessions affected: v", salvage.lines().get(2));
        assertEquals("SALVAGED 67 of 67 sound events (1 sessions, 2 branches) into " + target +
            "; 1 damaged or cut records in the damaged store, 0 sound events not copied", salvage.lines().get(3));
        assertEquals("the new store's hash chain is computed afresh: it vouches for the copy, not for the original " +
            "recording; check the copy with 'forkline verify --chain --store " + target + "'", salvage.lines().get(4));
        assertEquals(size, Files.size(journalFile), "salvage never writes the damaged store");

        final Cli.Result verify = Cli.run("verify", "--chain", "--store", target);
        assertEquals(0, verify.code(), verify.out());
        assertEquals("OK: 67 records, 1 sessions, 2 branches, 66 indexed steps", verify.lines().get(verify.lines().size() - 1));
        assertTrue(Cli.run("show", "v@60", "--json", "--store", target).out().contains("MARKER-59 "));
        assertTrue(Cli.run("show", "v/1@14", "--json", "--store", target).out().contains("fork 4"));
        assertEquals(2, Cli.run("show", "v@61", "--store", target).code(), "nothing past the cut");
    }

    @Test
    void salvageDropsWhatFollowsADamagedRecordAndRefusesATargetThatIsNotEmpty() throws IOException
    {
        try (Store store = Store.open(dir.resolve("store")))
        {
            final BranchWriter writer = store.startSession("v", (String)null);
            for (int i = 1; i <= 10; i++)
            {
                writer.append(EventKind.USER, "{\"content\":\"MARKER-" + i + " x\"}");
            }
            final BranchWriter fork = store.fork("v", 8, null);
            fork.append(EventKind.USER, "{\"content\":\"f1\"}");
            fork.append(EventKind.USER, "{\"content\":\"f2\"}");
        }
        damageAt("MARKER-6 ", 7, false);

        final Path occupied = Files.createDirectories(dir.resolve("occupied"));
        Files.writeString(occupied.resolve("keep.txt"), "keep");
        final Cli.Result refused = Cli.run("salvage", "--store", store(), occupied.toString());
        assertEquals(2, refused.code(), refused.out());
        assertEquals("forkline: cannot salvage into " + occupied + ": it is not empty (salvage writes a new store into a " +
            "new or empty directory)\n", refused.err());
        assertEquals("", refused.out());
        try (Stream<Path> files = Files.list(occupied))
        {
            assertEquals(List.of(occupied.resolve("keep.txt")), files.toList());
        }

        final String target = dir.resolve("saved").toString();
        final Cli.Result salvage = Cli.run("salvage", "--store", store(), target);
        assertEquals(0, salvage.code(), salvage.out() + salvage.err());
        assertTrue(salvage.lines().get(0).matches("DAMAGED v@6 in .*\\.cq4 at offset \\d+ \\(journal index 0x[0-9a-f]+\\): " +
            "checksum mismatch.*"), salvage.out());
        assertEquals(List.of(
            "sessions affected: v",
            "DROPPED v@7..v@10 (4 events): v@6 is missing from the journal (damaged, or cut off), and an event cannot " +
                "change its step: the copy of v has 6 steps",
            "DROPPED v/1 (its fork event and 2 events): it forks v at step 8, but the copy of v has 6 steps",
            "SALVAGED 6 of 13 sound events (1 sessions, 1 branches) into " + target + "; 1 damaged or cut records in " +
                "the damaged store, 7 sound events not copied"), salvage.lines().subList(1, 5));
        assertEquals(0, Cli.run("verify", "--chain", "--store", target).code());
        assertEquals(2, Cli.run("show", "v/1", "--store", target).code(), "the fork is not in the new store");
    }

    @Test
    void verifyChainNamesAnEventChangedWithItsChecksumRepaired() throws IOException
    {
        try (Store store = Store.open(dir.resolve("store")))
        {
            final BranchWriter writer = store.startSession("c", (String)null);
            writer.append(EventKind.USER, "{\"content\":\"pay 10\"}");
            writer.end("done");
        }
        final Cli.Result sound = Cli.run("verify", "--chain", "--heads", "--store", store());
        assertEquals(0, sound.code(), sound.out());
        assertTrue(sound.out().contains("chain: 3 events match their seals, 0 not sealed yet"), sound.out());
        assertTrue(sound.out().matches("(?s).*head c [0-9a-f]{64}\n.*"), sound.out());

        final byte[] from = "pay 10".getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dir.resolve("store")))
        {
            for (final Path file : files.filter(f -> f.toString().endsWith(".cq4")).toList())
            {
                final byte[] bytes = Files.readAllBytes(file);
                for (int i = 0; i + from.length <= bytes.length; i++)
                {
                    if (java.util.Arrays.equals(bytes, i, i + from.length, from, 0, from.length))
                    {
                        bytes[i + 5] = '9'; // pay 19
                        // repair the event's checksum: the record starts 48 + 12 bytes before the text
                        final int start = i - "{\"content\":\"".length() - 48;
                        final int length = 48 + java.nio.ByteBuffer.wrap(bytes, start + 44, 4)
                            .order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
                        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
                        crc.update(bytes, start + 4, length - 4);
                        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(start, (int)crc.getValue());
                    }
                }
                Files.write(file, bytes);
            }
        }
        assertEquals(0, Cli.run("verify", "--store", store()).code(), "checksums alone cannot tell");
        final Cli.Result tampered = Cli.run("verify", "--chain", "--store", store());
        assertEquals(1, tampered.code(), tampered.out());
        assertEquals("TAMPERED c@1 (user) does not match its seal: the event, or the one before it, was changed",
            tampered.lines().get(0));
    }

    /** 2026-01-02T03:04:05Z, in nanoseconds: the events below are 1 ms apart from it. */
    private static final long TAIL_TIME = 1_767_323_045_000_000_000L;

    /**
     * Writes two sessions whose events alternate in the journal, with a fork of {@code a}, at fixed times.
     */
    private void recordInterleavedSessions()
    {
        try (Store store = Store.open(dir.resolve("store")))
        {
            final BranchWriter a = store.startSession("a", "{\"agent\":\"bot\",\"model\":\"m1\"}", TAIL_TIME);
            final BranchWriter b = store.startSession("b", "{\"agent\":\"bot\",\"model\":\"m2\"}", TAIL_TIME + 1_000_000L);
            a.append(EventKind.USER, 0, TAIL_TIME + 2_000_000L, "{\"content\":\"a1\"}");
            b.append(EventKind.USER, 0, TAIL_TIME + 3_000_000L, "{\"content\":\"b1\"}");
            a.append(EventKind.USER, 0, TAIL_TIME + 4_000_000L, "{\"content\":\"a2\"}");
            b.append(EventKind.USER, 0, TAIL_TIME + 5_000_000L, "{\"content\":\"b2\"}");
            final BranchWriter fork = store.fork("a", 2, "retry", TAIL_TIME + 6_000_000L);
            fork.append(EventKind.USER, 0, TAIL_TIME + 7_000_000L, "{\"content\":\"a2 again\"}");
            a.append(EventKind.USER, 0, TAIL_TIME + 8_000_000L, "{\"content\":\"a3\"}");
            b.append(EventKind.USER, 0, TAIL_TIME + 9_000_000L, "{\"content\":\"b3\"}");
        }
    }

    private static final List<String> INTERLEAVED = List.of(
        "a@0  session.start  03:04:05.000  agent=bot model=m1",
        "b@0  session.start  03:04:05.001  agent=bot model=m2",
        "a@1  user           03:04:05.002  \"a1\"",
        "b@1  user           03:04:05.003  \"b1\"",
        "a@2  user           03:04:05.004  \"a2\"",
        "b@2  user           03:04:05.005  \"b2\"",
        "a/1@2  fork           03:04:05.006  from a@2 (retry)",
        "a/1@2  user           03:04:05.007  \"a2 again\"",
        "a@3  user           03:04:05.008  \"a3\"",
        "b@3  user           03:04:05.009  \"b3\"");

    private List<String> tail(final String... args)
    {
        final List<String> command = new ArrayList<>(List.of("tail", "--store", store()));
        command.addAll(List.of(args));
        final Cli.Result result = Cli.run(command.toArray(new String[0]));
        assertEquals(0, result.code(), result.err());
        assertEquals("", result.err());
        return result.lines();
    }

    @Test
    void tailPrintsTheLastEventsInJournalOrder()
    {
        recordInterleavedSessions();
        assertEquals(INTERLEAVED.subList(7, 10), tail("-n", "3"));
        assertEquals(INTERLEAVED.subList(0, 10), tail("-n", "10"));
        assertEquals(INTERLEAVED, tail("-n", "25"));
        assertEquals(List.of(), tail("-n", "0"));
        assertEquals(INTERLEAVED, tail(), "10 by default");
    }

    @Test
    void tailOfASessionLooksBackPastOtherSessions()
    {
        recordInterleavedSessions();
        assertEquals(List.of(INTERLEAVED.get(8)), tail("-n", "1", "--session", "a"));
        assertEquals(List.of(INTERLEAVED.get(4), INTERLEAVED.get(6), INTERLEAVED.get(7), INTERLEAVED.get(8)),
            tail("-n", "4", "--session", "a"), "the fork's events are the session's");
        assertEquals(List.of(INTERLEAVED.get(1), INTERLEAVED.get(3), INTERLEAVED.get(5), INTERLEAVED.get(9)),
            tail("-n", "10", "--session", "b"), "fewer than asked for: all of them");
        assertEquals(List.of(INTERLEAVED.get(9)), tail("-n", "1", "--session", "b"));
        assertError("forkline: unknown session 'c'\n", "tail", "--session", "c", "--store", store());
    }

    @Test
    void tailReportsADamagedRecordAmongTheLastEventsAndPrintsAsManyAsAsked() throws IOException
    {
        recordInterleavedSessions();
        final byte[] marker = "\"b2\"".getBytes(StandardCharsets.UTF_8);
        int flipped = 0;
        try (Stream<Path> files = Files.walk(dir.resolve("store")))
        {
            for (final Path file : files.filter(f -> f.toString().endsWith(".cq4")).toList())
            {
                final byte[] bytes = Files.readAllBytes(file);
                for (int i = 0; i + marker.length <= bytes.length; i++)
                {
                    if (java.util.Arrays.equals(bytes, i, i + marker.length, marker, 0, marker.length))
                    {
                        bytes[i + 2] ^= 1; // "b2" reads "b3": its checksum no longer matches
                        flipped++;
                    }
                }
                Files.write(file, bytes);
            }
        }
        assertEquals(1, flipped);
        final String damaged = "forkline: damaged record at journal index 0x[0-9a-f]+: checksum mismatch.*\n";

        final Cli.Result five = Cli.run("tail", "-n", "5", "--store", store());
        assertEquals(List.of(INTERLEAVED.get(4), INTERLEAVED.get(6), INTERLEAVED.get(7), INTERLEAVED.get(8),
            INTERLEAVED.get(9)), five.lines(), "five sound events, from before the damaged record");
        assertTrue(five.err().matches(damaged), five.err());

        final Cli.Result three = Cli.run("tail", "-n", "3", "--store", store());
        assertEquals(INTERLEAVED.subList(7, 10), three.lines());
        assertEquals("", three.err(), "the damaged record is before the events printed");

        final Cli.Result a = Cli.run("tail", "-n", "3", "--session", "a", "--store", store());
        assertEquals(List.of(INTERLEAVED.get(6), INTERLEAVED.get(7), INTERLEAVED.get(8)), a.lines());
        assertEquals("", a.err(), "the damaged record is between a@2, which is not printed, and the fork event");

        final Cli.Result b = Cli.run("tail", "-n", "2", "--session", "b", "--store", store());
        assertEquals(List.of(INTERLEAVED.get(3), INTERLEAVED.get(9)), b.lines());
        assertTrue(b.err().matches(damaged), b.err());
    }

    @Test
    void tailFollowsAStoreThatAnotherProcessWrites() throws Exception
    {
        try (Store store = Store.open(dir.resolve("store")))
        {
            final BranchWriter writer = store.startSession("live", (String)null);
            writer.append(EventKind.USER, "{\"content\":\"before\"}");
            store.commit();

            final Process tail = Cli.start("tail", "-f", "-n", "1", "--store", store());
            try
            {
                final BufferedReader lines = Cli.stdout(tail);
                final List<String> seen = new ArrayList<>();
                final CompletableFuture<Void> reader = CompletableFuture.runAsync(() ->
                {
                    try
                    {
                        String line;
                        while (seen.size() < 4 && (line = lines.readLine()) != null)
                        {
                            synchronized (seen)
                            {
                                seen.add(line);
                            }
                        }
                    }
                    catch (final IOException ex)
                    {
                        throw new RuntimeException(ex);
                    }
                });
                awaitLines(seen, 1, tail);
                writer.append(EventKind.USER, "{\"content\":\"while following\"}");
                final BranchWriter fork = store.fork("live", 1, "again");
                fork.append(EventKind.USER, "{\"content\":\"on the fork\"}");
                store.commit();
                reader.get(30, TimeUnit.SECONDS);
                assertTrue(seen.get(0).startsWith("live@1  user "), seen.toString());
                assertTrue(seen.get(0).endsWith("\"before\""), seen.toString());
                assertTrue(seen.get(1).startsWith("live@2  user ") && seen.get(1).endsWith("\"while following\""), seen.toString());
                assertTrue(seen.get(2).startsWith("live/1@1  fork ") && seen.get(2).endsWith("from live@1 (again)"), seen.toString());
                assertTrue(seen.get(3).startsWith("live/1@1  user ") && seen.get(3).endsWith("\"on the fork\""), seen.toString());
                assertTrue(tail.isAlive(), "tail -f keeps following");
            }
            finally
            {
                tail.destroy();
                tail.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void awaitLines(final List<String> seen, final int count, final Process process) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline)
        {
            synchronized (seen)
            {
                if (seen.size() >= count)
                {
                    return;
                }
            }
            assertTrue(process.isAlive(), "tail exited early");
            Thread.sleep(20);
        }
        fail("tail printed " + seen + " within 30 s");
    }

    @Test
    void theCommandRunsInItsOwnProcessWithExitCodesAndTheStoreVariable() throws Exception
    {
        demoSession();
        final Process missing = Cli.start("tree", "nope", "--store", store());
        assertTrue(missing.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, missing.exitValue());
        assertEquals("forkline: unknown session 'nope'\n",
            new String(missing.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));

        final Process viaVariable = Cli.start(java.util.Map.of("FORKLINE_STORE", store()), "ls", "--json");
        assertTrue(viaVariable.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, viaVariable.exitValue());
        assertEquals(1, Json.parseOrNull(new String(viaVariable.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).size());
    }

    @Test
    void exportWritesTrainingDataToAFileOnlyWhenComplete() throws IOException
    {
        final String s = demoSession();
        final Path file = dir.resolve("chat.jsonl");
        final Cli.Result chat = Cli.run("export", "--format", "openai-chat", "--output", file.toString(), "--store", store());
        assertEquals(0, chat.code(), chat.err());
        assertEquals("", chat.out(), "the lines go to the file");
        final List<String> lines = Files.readAllLines(file);
        assertFalse(lines.isEmpty());
        for (final String line : lines)
        {
            assertTrue(Json.parseOrNull(line).get("messages").isArray(), line);
        }
        assertTrue(chat.err().contains("openai-chat"), "the summary goes to stderr: " + chat.err());

        final Cli.Result bad = Cli.run("export", "--format", "openai-chat", "--min-reward", "lots", "--output",
            dir.resolve("never.jsonl").toString(), "--store", store());
        assertEquals(2, bad.code());
        assertEquals("forkline: --min-reward needs a number, got 'lots'\n", bad.err());
        assertFalse(Files.exists(dir.resolve("never.jsonl")), "nothing half-written");
        try (var files = Files.list(dir))
        {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".part")), "no temporary file left");
        }
        assertTrue(s.startsWith("demo-"));
    }
}
