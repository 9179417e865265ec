package dev.forkline.kernel;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class JournalCursorTest
{
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    @TempDir
    Path dir;

    @Test
    void toLastReturnsTheLastRecordsWithSealsBetweenThem() throws Exception
    {
        final List<String> written = new ArrayList<>();
        try (Store store = Store.open(dir))
        {
            final BranchWriter s = store.startSession("s", (String)null);
            written.add("s@0");
            for (int i = 1; i <= 12; i++)
            {
                s.append(EventKind.USER, "{\"content\":\"e" + i + "\"}");
                written.add("s@" + i);
                if (i % 3 == 0)
                {
                    awaitSealed(store, written.size()); // the idle journal thread seals what it wrote
                }
            }
        }
        assertTrue(sealsBetweenRecords() >= 3, "the journal holds seal records between the events");
        try (Store store = Store.openReadOnly(dir))
        {
            assertLast(store, written);
        }
    }

    @Test
    void toLastFollowsOnWithWhatIsWrittenAfterIt()
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter s = store.startSession("s", (String)null);
            s.append(EventKind.USER, "{\"content\":\"one\"}");
            s.append(EventKind.USER, "{\"content\":\"two\"}");
            store.commit();
            try (JournalCursor cursor = store.readJournal())
            {
                assertTrue(cursor.toLast(1));
                assertEquals(List.of("s@2"), read(cursor));
                s.append(EventKind.USER, "{\"content\":\"three\"}");
                store.commit();
                assertEquals(List.of("s@3"), read(cursor));

                assertTrue(cursor.toLast(0));
                assertEquals(List.of(), read(cursor));
                s.append(EventKind.USER, "{\"content\":\"four\"}");
                store.commit();
                assertEquals(List.of("s@4"), read(cursor));
            }
        }
    }

    @Test
    void toLastOnAnEmptyStoreFindsNothing()
    {
        try (Store store = Store.open(dir); JournalCursor cursor = store.readJournal())
        {
            assertTrue(cursor.toLast(0));
            assertEquals(List.of(), read(cursor));
            assertFalse(cursor.toLast(1));
            assertEquals(List.of(), read(cursor));
            assertFalse(cursor.toLast(10));
            assertEquals(List.of(), read(cursor));
            assertThrows(IllegalArgumentException.class, () -> cursor.toLast(-1));
        }
    }

    @Test
    void toLastCountsBackAcrossJournalFiles() throws IOException
    {
        // Three journal files, as if the store had been written on three days (four and two days ago, and today):
        // write a session, then give the day's file an earlier day's name.
        final List<String> written = new ArrayList<>();
        final String today = recordSession("a", written);
        moveJournalFile(today, 4);
        assertEquals(today, recordSession("b", written), "written on the same day (a run across midnight UTC fails here)");
        moveJournalFile(today, 2);
        assertEquals(today, recordSession("c", written));
        try (Stream<Path> files = Files.list(dir.resolve(Journal.DIRECTORY)))
        {
            assertEquals(3, files.filter(f -> f.toString().endsWith(".cq4")).count());
        }
        try (Store store = Store.openReadOnly(dir))
        {
            try (JournalCursor cursor = store.readJournal())
            {
                assertEquals(written, read(cursor), "the files are read in order");
            }
            assertLast(store, written);
        }
    }

    /**
     * Checks {@link JournalCursor#toLast} for every count from 0 to past the number of records.
     */
    private static void assertLast(final Store store, final List<String> written)
    {
        for (int n = 0; n <= written.size() + 2; n++)
        {
            try (JournalCursor cursor = store.readJournal())
            {
                assertEquals(n <= written.size(), cursor.toLast(n), "toLast(" + n + ")");
                assertEquals(written.subList(Math.max(0, written.size() - n), written.size()), read(cursor),
                    "toLast(" + n + ")");
            }
        }
        try (JournalCursor cursor = store.readJournal())
        {
            assertTrue(cursor.toLast(2));
            assertEquals(2, read(cursor).size());
            assertTrue(cursor.toLast(1), "moves back again after reading to the end");
            assertEquals(written.subList(written.size() - 1, written.size()), read(cursor));
        }
    }

    /**
     * Writes a session of a start and two events to the store and closes it (which seals them).
     *
     * @return the day of the journal file written, as in its name.
     */
    private String recordSession(final String session, final List<String> written) throws IOException
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter writer = store.startSession(session, (String)null);
            writer.append(EventKind.USER, "{\"content\":\"x\"}");
            writer.append(EventKind.USER, "{\"content\":\"y\"}");
        }
        written.addAll(List.of(session + "@0", session + "@1", session + "@2"));
        final String file = newestJournalFile().getFileName().toString();
        return file.substring(0, file.indexOf('F'));
    }

    private void moveJournalFile(final String day, final int daysBefore) throws IOException
    {
        final Path journal = dir.resolve(Journal.DIRECTORY);
        final String earlier = LocalDate.parse(day, DAY).minusDays(daysBefore).format(DAY);
        Files.move(journal.resolve(day + "F.cq4"), journal.resolve(earlier + "F.cq4"));
        // the index snapshot names events by journal index, which holds the day: index the journal again
        Files.delete(IndexSnapshot.file(dir));
    }

    private Path newestJournalFile() throws IOException
    {
        try (Stream<Path> files = Files.list(dir.resolve(Journal.DIRECTORY)))
        {
            return files.filter(f -> f.toString().endsWith(".cq4")).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    /**
     * @return the number of seal records that have an event record after them.
     */
    private int sealsBetweenRecords()
    {
        int seals = 0;
        int sealsBeforeLastEvent = 0;
        try (Journal journal = Journal.open(dir, true, Durability.OS_CACHE))
        {
            final ExcerptTailer tailer = journal.createTailer();
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument(true))
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    if (dc.isMetaData())
                    {
                        seals++;
                    }
                    else
                    {
                        sealsBeforeLastEvent = seals;
                    }
                }
            }
            tailer.close();
        }
        return sealsBeforeLastEvent;
    }

    private static void awaitSealed(final Store store, final int events) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (store.verifyChain().sealed() < events)
        {
            assertTrue(System.nanoTime() < deadline, "the journal thread sealed nothing within 30 s");
            Thread.sleep(10);
        }
    }

    private static List<String> read(final JournalCursor cursor)
    {
        final List<String> records = new ArrayList<>();
        while (cursor.next())
        {
            assertNull(cursor.problem());
            records.add(cursor.event().branch() + "@" + cursor.event().step());
        }
        return records;
    }
}
