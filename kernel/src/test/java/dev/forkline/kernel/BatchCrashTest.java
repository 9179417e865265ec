package dev.forkline.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Batches written by a process that dies: a batch left open is never read, by a store that follows the writer or by
 * one opened after, and is rolled back at the next open for writing; a writer killed (SIGKILL or SIGINT) at random
 * moments while it writes batch after batch leaves every batch whole or absent: 5 rounds (the import's crash test in
 * the tools module kills 20 imports), {@code -Dforkline.crash.rounds=N} runs N.
 */
class BatchCrashTest
{
    private static final int EVENTS = 50;
    /** A child never killed stops by itself after this long. */
    private static final long LIFETIME_NANOS = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path temp;

    private Path dir;

    @org.junit.jupiter.api.BeforeEach
    void store()
    {
        dir = temp.resolve("store");
    }

    /**
     * {@code open STORE SESSIONS}: commits a session "kept", then writes a batch of SESSIONS sessions of EVENTS events,
     * prints "written" and waits, without committing, until it is killed.
     * {@code loop STORE PREFIX}: writes batch after batch, one session PREFIX-n of EVENTS events each, and prints
     * "committed PREFIX-n" once each commit returned.
     * {@code big STORE N}: writes a batch of one session of N events of a KiB and aborts it (as an import that meets a
     * bad line at its end), then writes the same again and commits it; prints "done".
     */
    public static void main(final String[] args) throws Exception
    {
        final Path store = Path.of(args[0]);
        final long deadline = System.nanoTime() + LIFETIME_NANOS;
        try (Store writer = Store.open(store))
        {
            if (args[1].equals("big"))
            {
                final int events = Integer.parseInt(args[2]);
                final String payload = "{\"pad\":\"" + "y".repeat(1_000) + "\"}";
                for (final boolean commit : new boolean[]{false, true})
                {
                    try (Batch batch = writer.beginBatch())
                    {
                        final BranchWriter session = batch.startSession("big", "{}");
                        for (int i = 0; i < events; i++)
                        {
                            session.append(EventKind.EFFECT, payload);
                        }
                        if (commit)
                        {
                            batch.commit();
                        }
                    }
                }
                System.out.println("done");
                return;
            }
            if (args[1].equals("open"))
            {
                writer.startSession("kept", "{}").append(EventKind.USER, "{\"kept\":true}");
                writer.commit();
                final Batch batch = writer.beginBatch();
                for (int s = 0; s < Integer.parseInt(args[2]); s++)
                {
                    write(batch.startSession("open-" + s, "{}"));
                }
                writer.commit(); // the batch's events are in the journal, not committed
                System.out.println("written");
                System.out.flush();
                while (System.nanoTime() < deadline)
                {
                    Thread.sleep(10);
                }
                System.exit(4);
            }
            for (int n = 0; System.nanoTime() < deadline; n++)
            {
                final String session = args[2] + "-" + n;
                try (Batch batch = writer.beginBatch())
                {
                    write(batch.startSession(session, "{}"));
                    batch.commit();
                }
                System.out.println("committed " + session);
                System.out.flush();
            }
        }
        System.exit(4);
    }

    private static void write(final BranchWriter session)
    {
        for (int i = 1; i < EVENTS; i++)
        {
            session.append(EventKind.EFFECT, "{\"n\":" + i + ",\"pad\":\"" + "x".repeat(200) + "\"}");
        }
    }

    private Process start(final String... args) throws IOException
    {
        return start(JvmFlags.REQUIRED, args);
    }

    private Process start(final List<String> jvmArgs, final String... args) throws IOException
    {
        final String[] all = new String[args.length + 1];
        all[0] = dir.toString();
        System.arraycopy(args, 0, all, 1, args.length);
        return ChildJvm.builder(jvmArgs, ChildJvm.classPath(entry -> true), BatchCrashTest.class, all)
            .redirectErrorStream(true).start();
    }

    @Test
    void aBatchMuchLargerThanTheHeapIsWrittenAndRolledBackOrCommitted() throws Exception
    {
        final int events = 60_000; // about 60 MiB of payload a batch, against a heap of 24 MiB
        final List<String> jvmArgs = new ArrayList<>(JvmFlags.REQUIRED);
        jvmArgs.add("-Xmx24m");
        final ChildJvm.Result result = ChildJvm.run(ChildJvm.builder(jvmArgs, ChildJvm.classPath(entry -> true),
            BatchCrashTest.class, dir.toString(), "big", Integer.toString(events)), 120);
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("done"), result.output());
        try (Store store = Store.openReadOnly(dir))
        {
            assertEquals(List.of("big"), store.sessions());
            assertEquals(events + 1, store.branch("big").length());
            final VerifyReport report = store.verify();
            assertTrue(report.ok(), report.toString());
            assertEquals(events + 1, report.events());
            assertEquals(1, report.uncommitted().size());
            assertEquals(events + 1, report.uncommitted().get(0).events());
        }
    }

    private static String awaitLine(final BufferedReader out, final String expected) throws IOException
    {
        String line;
        while ((line = out.readLine()) != null && !line.equals(expected))
        {
            System.out.println("writer: " + line);
        }
        return line;
    }

    @Test
    void aBatchLeftOpenByAWriterThatDiedIsNeverReadAndIsRolledBackAtTheNextOpen() throws Exception
    {
        try (Store store = Store.open(dir))
        {
            store.startSession("earlier", "{}").end("done"); // and a snapshot, which the next opens start from
        }
        final Process writer = start("open", "20");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8)))
        {
            assertEquals("written", awaitLine(out, "written"));
            try (Store reader = Store.openReadOnly(dir))
            {
                assertEquals(List.of("earlier", "kept"), reader.sessions());
                final VerifyReport report = reader.verify();
                assertTrue(report.ok(), report.toString());
                assertEquals(1, report.uncommitted().size());
                assertEquals(20L * EVENTS, report.uncommitted().get(0).events());
                assertEquals(20, report.uncommitted().get(0).sessions().size());
                assertEquals(20, report.uncommitted().get(0).sessionCount());
                assertTrue(report.uncommitted().get(0).open(), "its writer is alive");

                writer.destroyForcibly();
                assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, reader.refresh());
                assertFalse(reader.verify().uncommitted().get(0).open(), "its writer is gone");
            }
        }
        finally
        {
            writer.destroyForcibly();
        }
        final VerifyReport direct = Store.verify(dir);
        assertTrue(direct.ok(), direct.toString());
        assertEquals(20L * EVENTS, direct.uncommitted().get(0).events());

        try (Store store = Store.open(dir))
        {
            assertEquals(List.of("earlier", "kept"), store.sessions());
            final BranchWriter again = store.startSession("open-3", "{\"again\":true}");
            again.append(EventKind.USER, "{}");
            store.fork("open-3", 1, null);
            final VerifyReport report = store.verify();
            assertTrue(report.ok(), report.toString());
            assertFalse(report.uncommitted().get(0).open());
        }
        try (Store store = Store.open(dir))
        {
            assertEquals(List.of("earlier", "kept", "open-3"), store.sessions());
            assertEquals(2, store.branch("open-3").length());
            assertEquals(List.of("open-3", "open-3/1"), store.tree("open-3").stream().map(BranchInfo::name).toList());
            final ChainReport chain = store.verifyChain();
            assertTrue(chain.ok(), chain.toString());
            assertEquals(0, chain.unsealed());
        }
        final Path copy = temp.resolve("salvaged");
        final SalvageReport salvage = Store.salvage(dir, copy);
        assertEquals(List.of(), salvage.dropped());
        assertEquals(salvage.source().events(), salvage.events() + salvage.droppedEvents(), "copied and dropped add up");
        assertEquals(1, salvage.source().uncommitted().size(), "the account names the rolled-back batch");
        assertEquals(20L * EVENTS, salvage.source().uncommitted().get(0).events());
        assertEquals(20, salvage.source().uncommitted().get(0).sessionCount());
        try (Store store = Store.openReadOnly(copy))
        {
            assertEquals(List.of("earlier", "kept", "open-3"), store.sessions(), "a salvage copies no rolled-back batch");
            assertEquals(2, store.branch("open-3").length());
        }
    }

    @Test
    void aWriterKilledWhileItWritesBatchesLeavesEachOneWholeOrAbsent() throws Exception
    {
        final int rounds = Integer.getInteger("forkline.crash.rounds", 5);
        final Random random = new Random(7);
        final Set<String> committed = new HashSet<>();
        for (int round = 0; round < rounds; round++)
        {
            final String prefix = "r" + round;
            final Process writer = start("loop", prefix);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8)))
            {
                final long killAfter = TimeUnit.MILLISECONDS.toNanos(20 + random.nextInt(300));
                String line = awaitLine(out, "committed " + prefix + "-0");
                assertNotNull(line, "round " + round);
                committed.add(line.substring("committed ".length()));
                final long start = System.nanoTime();
                while (System.nanoTime() - start < killAfter && (line = out.readLine()) != null)
                {
                    if (line.startsWith("committed "))
                    {
                        committed.add(line.substring("committed ".length()));
                    }
                }
                kill(writer, random.nextBoolean());
            }
            finally
            {
                writer.destroyForcibly();
            }
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS));

            try (Store store = Store.open(dir))
            {
                final List<String> sessions = store.sessions();
                assertTrue(sessions.containsAll(committed), "round " + round + ": a batch whose commit returned is there");
                for (final String session : sessions)
                {
                    assertEquals(EVENTS, store.branch(session).length(), "round " + round + ": " + session + " is whole");
                }
                final List<String> events = new ArrayList<>();
                try (EventCursor cursor = store.read(sessions.get(sessions.size() - 1)))
                {
                    while (cursor.next())
                    {
                        events.add(cursor.event().payloadAsString());
                    }
                }
                assertEquals(EVENTS, events.size());
                final VerifyReport report = store.verify();
                assertTrue(report.ok(), "round " + round + ": " + report);
                assertTrue(report.uncommitted().stream().noneMatch(VerifyReport.UncommittedBatch::open));
            }
        }
        try (Store store = Store.openReadOnly(dir))
        {
            final ChainReport chain = store.verifyChain();
            assertTrue(chain.ok(), chain.toString());
        }
    }

    /**
     * SIGKILL, or SIGINT (the JVM runs its shutdown hooks and exits; the journal thread is a daemon and stops wherever
     * it is).
     */
    static void kill(final Process process, final boolean interrupt) throws Exception
    {
        if (interrupt)
        {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
            }
        }
        else
        {
            process.destroyForcibly();
        }
    }
}
