package dev.forkline.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A batch in one process: nothing of it is readable before the commit, all of it after; a batch that does not commit
 * leaves the store as it was and its session ids free; the rules of one batch at a time and of branch ownership.
 */
class BatchTest
{
    @TempDir
    Path dir;

    /** Every record a journal cursor returns, as branch@step kind payload. */
    static List<String> journal(final Store store)
    {
        final List<String> records = new ArrayList<>();
        try (JournalCursor cursor = store.readJournal())
        {
            while (cursor.next())
            {
                assertNull(cursor.problem(), cursor.problem());
                final EventView e = cursor.event();
                records.add(e.branch() + "@" + e.step() + " " + e.kind().wireName() + " " + e.payloadAsString());
            }
        }
        return records;
    }

    static List<String> branch(final Store store, final String name)
    {
        final List<String> events = new ArrayList<>();
        try (EventCursor cursor = store.read(name))
        {
            while (cursor.next())
            {
                events.add(cursor.event().step() + " " + cursor.event().kind().wireName() + " " + cursor.event().payloadAsString());
            }
        }
        return events;
    }

    @Test
    void nothingOfABatchIsReadableBeforeItCommitsAndAllOfItAfter()
    {
        try (Store store = Store.open(dir))
        {
            store.startSession("before", "{}").append(EventKind.USER, "{\"n\":0}");
            final Batch batch = store.beginBatch();
            final BranchWriter a = batch.startSession("a", "{\"agent\":\"x\"}");
            a.append(EventKind.USER, "{\"n\":1}");
            a.append(EventKind.MODEL_RESPONSE, "{\"n\":2}");
            final BranchWriter fork = batch.fork("a", 2, "retry");
            fork.append(EventKind.USER, "{\"n\":3}");
            // appends outside the batch go on and are readable at once
            final BranchWriter live = store.startSession("live", "{}");
            live.append(EventKind.USER, "{\"n\":4}");
            store.commit();

            try (Store reader = Store.openReadOnly(dir))
            {
                for (final Store view : List.of(store, reader))
                {
                    assertEquals(List.of("before", "live"), view.sessions());
                    assertEquals(ForklineException.Reason.UNKNOWN_BRANCH,
                        assertThrows(ForklineException.class, () -> view.read("a")).reason());
                    assertEquals(ForklineException.Reason.UNKNOWN_BRANCH,
                        assertThrows(ForklineException.class, () -> view.branch("a/1")).reason());
                    assertEquals(List.of("before@0 session.start {}", "before@1 user {\"n\":0}", "live@0 session.start {}",
                        "live@1 user {\"n\":4}"), journal(view));
                    final VerifyReport report = view.verify();
                    assertTrue(report.ok(), report.toString());
                    assertEquals(4, report.events());
                    assertEquals(1, report.uncommitted().size());
                    assertEquals(5, report.uncommitted().get(0).events());
                    assertEquals(List.of("a"), report.uncommitted().get(0).sessions());
                    assertTrue(report.uncommitted().get(0).open(), "its writer is alive");
                }
                assertThrows(IllegalArgumentException.class, () -> store.startSession("a", (String)null), "the id is the batch's");

                batch.commit();
                assertEquals(5, reader.refresh(), "the read-only store indexes the batch at its commit record");
                for (final Store view : List.of(store, reader))
                {
                    assertEquals(List.of("before", "a", "live"), view.sessions(), "in the order they were started");
                    assertEquals(List.of("0 session.start {\"agent\":\"x\"}", "1 user {\"n\":1}", "2 model.response {\"n\":2}"),
                        branch(view, "a"));
                    assertEquals(List.of("0 session.start {\"agent\":\"x\"}", "1 user {\"n\":1}", "2 user {\"n\":3}"),
                        branch(view, "a/1"));
                    assertEquals(List.of("before@0 session.start {}", "before@1 user {\"n\":0}", "live@0 session.start {}",
                        "live@1 user {\"n\":4}", "a@0 session.start {\"agent\":\"x\"}", "a@1 user {\"n\":1}",
                        "a@2 model.response {\"n\":2}", "a/1@2 fork {\"parent\":\"a\",\"at\":2,\"reason\":\"retry\"}",
                        "a/1@2 user {\"n\":3}"), journal(view), "a batch comes at its commit, in the order it was written");
                    final VerifyReport report = view.verify();
                    assertTrue(report.ok() && report.uncommitted().isEmpty(), report.toString());
                    assertEquals(0, view.event("a", 1).flags(), "the batch's own flag is not the event's");
                }
            }
            assertThrows(IllegalStateException.class, () -> a.end("done"), "a batch's writer ends with it");
            store.writer("a").end("done"); // a branch of a committed batch is an ordinary branch
            assertThrows(IllegalStateException.class, batch::commit);
        }
        try (Store store = Store.open(dir))
        {
            assertEquals(List.of("before", "a", "live"), store.sessions());
            assertEquals(4, store.branch("a").length());
            assertEquals(3, store.branch("a/1").length());
            assertTrue(store.verify().ok());
            final ChainReport chain = store.verifyChain();
            assertTrue(chain.ok(), chain.toString());
            assertEquals(0, chain.unsealed(), "a committed batch is sealed");
        }
    }

    @Test
    void aBatchThatDoesNotCommitLeavesNothingAndItsSessionIdsFree()
    {
        try (Store store = Store.open(dir))
        {
            store.startSession("kept", "{}").append(EventKind.USER, "{}");
            try (Batch batch = store.beginBatch())
            {
                final BranchWriter x = batch.startSession("x", "{\"first\":true}");
                x.append(EventKind.USER, "{\"lost\":1}");
                batch.fork("x", 1, null).append(EventKind.USER, "{\"lost\":2}");
            } // closed without commit
            final List<String> journal = journal(store);
            assertEquals(List.of("kept@0 session.start {}", "kept@1 user {}"), journal);

            final BranchWriter again = store.startSession("x", "{\"second\":true}");
            again.append(EventKind.USER, "{\"kept\":1}");
            store.fork("x", 1, "later"); // the fork number of the rolled-back fork is not given again here
            final VerifyReport report = store.verify();
            assertTrue(report.ok(), report.toString());
            assertEquals(1, report.uncommitted().size());
            assertEquals(4, report.uncommitted().get(0).events());
            assertFalse(report.uncommitted().get(0).open(), "aborted");
            assertEquals(List.of("x"), report.uncommitted().get(0).sessions());
        }
        try (Store store = Store.open(dir))
        {
            assertEquals(List.of("kept", "x"), store.sessions());
            assertEquals(List.of("0 session.start {\"second\":true}", "1 user {\"kept\":1}"), branch(store, "x"));
            assertEquals(2, store.tree("x").size());
            final VerifyReport report = store.verify();
            assertTrue(report.ok(), report.toString());
            assertEquals(1, report.uncommitted().size(), "the rolled-back batch stays in the journal, reported");
            final ChainReport chain = store.verifyChain();
            assertTrue(chain.ok(), chain.toString());
            assertEquals(0, chain.unsealed(), "a rolled-back batch is neither sealed nor counted as unsealed");
        }
        final VerifyReport unopened = Store.verify(dir);
        assertTrue(unopened.ok(), unopened.toString());
        assertEquals(1, unopened.uncommitted().size());
    }

    @Test
    void aBatchOwnsACommittedBranchItAppendsToUntilItEnds()
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter s = store.startSession("s", "{}");
            s.append(EventKind.USER, "{\"n\":1}");
            s.append(EventKind.USER, "{\"n\":2}");

            Batch batch = store.beginBatch();
            final BranchWriter inBatch = batch.writer("s");
            inBatch.append(EventKind.USER, "{\"n\":3}");
            inBatch.append(EventKind.OUTCOME, "{\"reward\":1}");
            assertEquals(3, store.branch("s").length());
            assertNull(store.branch("s").outcome());
            assertThrows(IllegalStateException.class, () -> s.append(EventKind.USER, "{}"), "the branch is the batch's");
            assertEquals(ForklineException.Reason.STEP_OUT_OF_RANGE,
                assertThrows(ForklineException.class, () -> store.fork("s", 4, null)).reason(), "only committed steps fork");
            store.fork("s", 3, "outside"); // its committed head
            try (EventCursor cursor = store.read("s", 3))
            {
                assertFalse(cursor.next(), "the batch's steps are not readable, and reading does not wait for them");
            }
            batch.commit();
            assertEquals(5, store.branch("s").length());
            assertEquals("{\"reward\":1}", store.branch("s").outcome());
            assertThrows(IllegalStateException.class, () -> inBatch.append(EventKind.USER, "{}"), "its batch has ended");
            assertEquals(5, s.append(EventKind.USER, "{\"n\":5}"));

            batch = store.beginBatch();
            batch.writer("s").append(EventKind.USER, "{\"lost\":true}");
            batch.abort();
            assertEquals(6, store.branch("s").length());
            assertEquals(6, s.append(EventKind.USER, "{\"n\":6}"), "the step of the rolled-back event is given again");
            assertEquals("6 user {\"n\":6}", branch(store, "s").get(6));
            assertTrue(store.verify().ok());
        }
        try (Store store = Store.open(dir))
        {
            final List<String> events = branch(store, "s");
            assertEquals(7, events.size());
            assertEquals("3 user {\"n\":3}", events.get(3));
            assertEquals("6 user {\"n\":6}", events.get(6));
            assertEquals("{\"reward\":1}", store.branch("s").outcome());
            assertTrue(store.verify().ok());
            assertTrue(store.verifyChain().ok(), store.verifyChain().toString());
        }
    }

    @Test
    void oneBatchAtATimeAndAStoreClosedWithABatchOpenRollsItBack()
    {
        try (Store store = Store.open(dir))
        {
            final Batch batch = store.beginBatch();
            assertThrows(IllegalStateException.class, store::beginBatch);
            batch.startSession("first", (String)null);
            batch.commit();
            assertThrows(IllegalStateException.class, () -> batch.startSession("late", (String)null));
            store.beginBatch().startSession("open-at-close", (String)null).append(EventKind.USER, "{}");
        }
        try (Store store = Store.open(dir))
        {
            assertEquals(List.of("first"), store.sessions());
            final VerifyReport report = store.verify();
            assertEquals(1, report.uncommitted().size());
            assertFalse(report.uncommitted().get(0).open());
            store.startSession("open-at-close", (String)null);
            assertTrue(store.beginBatch() != null, "the batch ended with the store that had it open");
        }
        try (Store reader = Store.openReadOnly(dir))
        {
            assertThrows(ForklineException.class, reader::beginBatch);
        }
    }

    @Test
    void aStoreCutShortIsVerifiedAndSalvagedWithoutItsRolledBackBatch(@TempDir final Path other) throws IOException
    {
        try (Store store = Store.open(dir))
        {
            store.startSession("kept", "{}").append(EventKind.USER, "{\"n\":1}");
            try (Batch batch = store.beginBatch())
            {
                batch.startSession("lost", "{}").append(EventKind.USER, "{\"lost\":true}");
            }
            final BranchWriter after = store.startSession("after", "{}");
            after.append(EventKind.USER, "{\"n\":2}");
            after.append(EventKind.USER, "{\"marker\":\"CUT-HERE\"}");
        }
        final Path file;
        try (var files = Files.list(dir.resolve(Journal.DIRECTORY)))
        {
            file = files.filter(f -> f.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        final byte[] bytes = Files.readAllBytes(file);
        final byte[] marker = "CUT-HERE".getBytes(StandardCharsets.US_ASCII);
        int at = -1;
        for (int i = 0; at < 0 && i + marker.length <= bytes.length; i++)
        {
            if (java.util.Arrays.equals(bytes, i, i + marker.length, marker, 0, marker.length))
            {
                at = i;
            }
        }
        assertTrue(at > 0);
        try (RandomAccessFile cut = new RandomAccessFile(file.toFile(), "rw"))
        {
            cut.setLength(at);
        }
        assertEquals(ForklineException.Reason.CORRUPT_JOURNAL,
            assertThrows(ForklineException.class, () -> Store.openReadOnly(dir)).reason());

        final VerifyReport report = Store.verify(dir);
        assertEquals(1, report.damagedCount(), report.toString());
        assertEquals(4, report.events(), "the rolled-back batch's events are not the store's");
        assertEquals(1, report.uncommitted().size());
        assertEquals(2, report.uncommitted().get(0).events());
        assertEquals(List.of("lost"), report.uncommitted().get(0).sessions());

        final SalvageReport salvage = Store.salvage(dir, other.resolve("copy"));
        assertEquals(4, salvage.events());
        try (Store copy = Store.openReadOnly(other.resolve("copy")))
        {
            assertEquals(List.of("kept", "after"), copy.sessions());
            assertEquals(List.of("0 session.start {}", "1 user {\"n\":2}"), branch(copy, "after"));
        }
    }
}
