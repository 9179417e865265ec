package dev.forkline.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class StoreTest
{
    @TempDir
    Path dir;

    @Test
    void recordsAndReadsBackASession()
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter session = store.startSession("task-1", "{\"agent\":\"a\"}");
            assertEquals("task-1", session.branch());
            assertEquals(1, session.append(EventKind.USER, "{\"content\":\"hi\"}"));
            assertEquals(2, session.append(EventKind.MODEL_RESPONSE, "{\"content\":\"hello ü €\"}"));
            assertEquals(3, session.end("done"));

            final List<String> lines = readAll(store, "task-1");
            assertEquals(List.of(
                "0 session.start {\"agent\":\"a\"}",
                "1 user {\"content\":\"hi\"}",
                "2 model.response {\"content\":\"hello ü €\"}",
                "3 session.end {\"status\":\"done\"}"), lines);
        }
        try (Store store = Store.open(dir))
        {
            assertEquals(List.of("task-1"), store.sessions());
            assertEquals(4, store.branch("task-1").length());
            assertEquals("{\"content\":\"hi\"}", store.event("task-1", 1).payloadAsString());
            final BranchWriter writer = store.writer("task-1");
            assertEquals(4, writer.append(EventKind.OUTCOME, "{\"reward\":1.0,\"label\":\"pass\"}"));
            store.commit();
            assertEquals("{\"reward\":1.0,\"label\":\"pass\"}", store.branch("task-1").outcome());
        }
    }

    @Test
    void generatesTimeOrderedSessionIds()
    {
        try (Store store = Store.open(dir))
        {
            final String first = store.startSession(null, (String)null).session();
            final String second = store.startSession(null, (String)null).session();
            assertEquals(26, first.length());
            assertTrue(first.substring(0, 10).compareTo(second.substring(0, 10)) <= 0);
            assertEquals(List.of(first, second), store.sessions());
        }
    }

    @Test
    void rejectsCallerMistakesAtTheBoundary()
    {
        try (Store store = Store.open(dir))
        {
            assertThrows(IllegalArgumentException.class, () -> store.startSession("bad id!", (String)null));
            assertThrows(IllegalArgumentException.class, () -> store.startSession("x".repeat(129), (String)null));
            store.startSession("s", (String)null);
            final IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> store.startSession("s", (String)null));
            assertEquals("session 's' exists already", twice.getMessage());
            assertThrows(IllegalArgumentException.class, () -> store.writer("s").append(EventKind.FORK, "{}"));
        }
    }

    @Test
    void unknownSessionIsAnUnknownBranchError()
    {
        try (Store store = Store.open(dir))
        {
            final ForklineException ex = assertThrows(ForklineException.class, () -> store.read("nope"));
            assertEquals(ForklineException.Reason.UNKNOWN_BRANCH, ex.reason());
            assertEquals("unknown session 'nope'", ex.getMessage());
            assertEquals(ForklineException.Reason.UNKNOWN_BRANCH,
                assertThrows(ForklineException.class, () -> store.tree("nope")).reason());
        }
    }

    @Test
    void stepPastTheHeadIsOutOfRange()
    {
        try (Store store = Store.open(dir))
        {
            store.startSession("s", (String)null);
            final ForklineException ex = assertThrows(ForklineException.class, () -> store.event("s", 1));
            assertEquals(ForklineException.Reason.STEP_OUT_OF_RANGE, ex.reason());
        }
    }

    @Test
    void appendingAfterCloseIsAClearError()
    {
        final Store store = Store.open(dir);
        final BranchWriter session = store.startSession("s", (String)null);
        store.close();
        final ForklineException ex = assertThrows(ForklineException.class, () -> session.append(EventKind.USER, "{}"));
        assertEquals(ForklineException.Reason.STORE_CLOSED, ex.reason());
        assertEquals(ForklineException.Reason.STORE_CLOSED,
            assertThrows(ForklineException.class, store::sessions).reason());
    }

    @Test
    void closingFlushesEverythingAppendedBeforeIt()
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter session = store.startSession("s", (String)null);
            for (int i = 0; i < 10_000; i++)
            {
                session.append(EventKind.CLOCK, "{\"value\":" + i + "}");
            }
        }
        try (Store store = Store.openReadOnly(dir))
        {
            assertEquals(10_001, store.branch("s").length());
            assertEquals("{\"value\":9999}", store.event("s", 10_000).payloadAsString());
        }
    }

    @Test
    void aSecondWriterGetsAClearError()
    {
        try (Store store = Store.open(dir))
        {
            final ForklineException ex = assertThrows(ForklineException.class, () -> Store.open(dir));
            assertEquals(ForklineException.Reason.STORE_LOCKED, ex.reason());
            assertTrue(ex.getMessage().contains("is being written by another writer (pid " + ProcessHandle.current().pid()),
                ex.getMessage());
            try (Store reader = Store.openReadOnly(dir))
            {
                assertEquals(List.of(), reader.sessions());
            }
        }
        Store.open(dir).close(); // released on close
    }

    @Test
    void readOnlyStoreRefusesWritesAndMissingStoreIsNamed()
    {
        Store.open(dir).close();
        try (Store reader = Store.openReadOnly(dir))
        {
            assertEquals(ForklineException.Reason.READ_ONLY,
                assertThrows(ForklineException.class, () -> reader.startSession("s", (String)null)).reason());
        }
        final ForklineException ex = assertThrows(ForklineException.class, () -> Store.openReadOnly(dir.resolve("none")));
        assertEquals(ForklineException.Reason.NO_STORE, ex.reason());
    }

    @Test
    void payloadsFromEmptyToTheLimitRoundTripAndLargerAreRejected()
    {
        final int[] sizes = {0, 1, 47, 48, 1000, 65_536, 300_000, Store.MAX_PAYLOAD_LENGTH};
        try (Store store = Store.open(dir))
        {
            final BranchWriter session = store.startSession("s", (String)null);
            for (final int size : sizes)
            {
                session.append(EventKind.EFFECT, pattern(size));
            }
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> session.append(EventKind.EFFECT, new byte[Store.MAX_PAYLOAD_LENGTH + 1]));
            assertEquals("payload of 1048577 bytes is over the limit of 1048576 bytes", ex.getMessage());
            assertEquals(sizes.length + 1, session.nextStep(), "a rejected append takes no step");
        }
        try (Store store = Store.open(dir))
        {
            for (int i = 0; i < sizes.length; i++)
            {
                assertArrayEquals(pattern(sizes[i]), store.event("s", i + 1).payload(), "size " + sizes[i]);
            }
        }
    }

    static byte[] pattern(final int size)
    {
        final byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++)
        {
            bytes[i] = (byte)(i * 31 + size);
        }
        return bytes;
    }

    static List<String> readAll(final Store store, final String branch)
    {
        final List<String> lines = new ArrayList<>();
        try (EventCursor cursor = store.read(branch))
        {
            while (cursor.next())
            {
                final EventView e = cursor.event();
                lines.add(e.step() + " " + e.kind().wireName() + " " + e.payloadAsString());
            }
        }
        return lines;
    }

    @Test
    void theJournalCursorReadsEveryRecordInWriteOrder()
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter a = store.startSession("a", (String)null);
            final BranchWriter b = store.startSession("b", (String)null);
            a.append(EventKind.USER, "{}");
            store.fork("a", 1, "x");
            b.end("ok");
            store.commit();
            final List<String> seen = new ArrayList<>();
            try (JournalCursor cursor = store.readJournal())
            {
                while (cursor.next())
                {
                    assertNull(cursor.problem());
                    seen.add(cursor.event().branch() + "@" + cursor.event().step() + " " + cursor.event().kind().wireName());
                }
            }
            assertEquals(List.of("a@0 session.start", "b@0 session.start", "a@1 user", "a/1@1 fork", "b@1 session.end"), seen);
        }
    }

    @Test
    void syncCommitsFromManyThreadsAllReturnWithTheirEventsWritten() throws Exception
    {
        try (Store store = Store.open(dir, new StoreOptions().durability(Durability.SYNC)))
        {
            final List<Thread> threads = new ArrayList<>();
            final long[] committedSteps = new long[4];
            for (int t = 0; t < 4; t++)
            {
                final int thread = t;
                final BranchWriter session = store.startSession("s" + t, (String)null);
                final Thread worker = new Thread(() ->
                {
                    for (int i = 0; i < 200; i++)
                    {
                        committedSteps[thread] = session.append(EventKind.CLOCK, EventFlags.COMMIT, store.nowNanos(), "{\"value\":" + i + "}");
                        // a commit point returns only once its event is indexed (written to the journal)
                        if (store.state("s" + thread).length() <= committedSteps[thread])
                        {
                            throw new AssertionError("commit returned before its event was written");
                        }
                    }
                });
                threads.add(worker);
                worker.start();
            }
            for (final Thread thread : threads)
            {
                thread.join();
            }
            for (int t = 0; t < 4; t++)
            {
                assertEquals(200, committedSteps[t]);
            }
        }
        try (Store store = Store.openReadOnly(dir))
        {
            assertEquals(201, store.branch("s3").length());
        }
    }
}
