package dev.forkline.kernel;

import dev.forkline.kernel.export.ExportFormat;
import dev.forkline.kernel.export.ExportOptions;
import dev.forkline.kernel.export.ExportSummary;
import dev.forkline.kernel.export.Exporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A reader made in the process that writes a store sees every append that returned before the reader was made,
 * without the caller committing: an exporter, a read-only store, and the cursors of either.
 * <p>
 * Each round first appends a burst of large events, so that the journal thread is still writing when the small
 * session after it ends and the reader is made.
 */
class ReadYourWritesTest
{
    private static final int ROUNDS = 3;
    private static final String BULK = "{\"content\":\"" + "x".repeat(2000) + "\"}";

    @TempDir
    Path dir;

    private static void burst(final Store store, final String session)
    {
        final BranchWriter bulk = store.startSession(session, "{}");
        for (int i = 0; i < 1000; i++)
        {
            bulk.append(EventKind.USER, BULK);
        }
    }

    private static void record(final Store store, final String session)
    {
        final BranchWriter writer = store.startSession(session, "{\"agent\":\"a\"}");
        writer.append(EventKind.USER, "{\"content\":\"hi\"}");
        writer.end("done");
    }

    /**
     * @return how many of the journal's last three records are events of {@code session}.
     */
    private static int lastThree(final JournalCursor cursor, final String session)
    {
        assertTrue(cursor.toLast(3));
        int events = 0;
        while (cursor.next())
        {
            if (cursor.problem() == null && cursor.event().session().equals(session))
            {
                events++;
            }
        }
        return events;
    }

    @Test
    void anExportSeesTheSessionThatEndedJustBeforeIt()
    {
        try (Store store = Store.open(dir))
        {
            for (int round = 0; round < ROUNDS; round++)
            {
                burst(store, "bulk" + round);
                record(store, "t" + round);
                final ByteArrayOutputStream out = new ByteArrayOutputStream();
                final ExportSummary summary = new Exporter(store,
                    new ExportOptions().format(ExportFormat.EVENTS).session("t" + round)).export(out);
                assertEquals(1, summary.sessions(), "round " + round);
                assertEquals(3, out.toString(StandardCharsets.UTF_8).split("\n").length, "round " + round);
            }
        }
    }

    @Test
    void aJournalCursorOfTheWritingStoreSeesEveryAppendBeforeIt()
    {
        try (Store store = Store.open(dir))
        {
            for (int round = 0; round < ROUNDS; round++)
            {
                burst(store, "bulk" + round);
                record(store, "t" + round);
                try (JournalCursor cursor = store.readJournal())
                {
                    assertEquals(3, lastThree(cursor, "t" + round), "round " + round);
                }
            }
        }
    }

    @Test
    void aReadOnlyStoreOpenedInTheWritingProcessAndItsCursorsSeeEveryAppendBeforeThem()
    {
        try (Store store = Store.open(dir))
        {
            record(store, "first");
            try (Store early = Store.openReadOnly(dir))
            {
                for (int round = 0; round < ROUNDS; round++)
                {
                    burst(store, "bulk" + round);
                    record(store, "t" + round);
                    try (Store reader = Store.openReadOnly(dir))
                    {
                        assertTrue(reader.sessions().contains("t" + round), "round " + round);
                        assertEquals(3, reader.branch("t" + round).length(), "round " + round);
                        try (JournalCursor cursor = reader.readJournal())
                        {
                            assertEquals(3, lastThree(cursor, "t" + round), "round " + round);
                        }
                    }
                    burst(store, "later" + round);
                    record(store, "u" + round);
                    // a read-only store opened earlier: a cursor made now sees what was appended before it
                    try (EventCursor cursor = early.read("u" + round))
                    {
                        int steps = 0;
                        while (cursor.next())
                        {
                            steps++;
                        }
                        assertEquals(3, steps, "round " + round);
                    }
                    try (JournalCursor cursor = early.readJournal())
                    {
                        assertEquals(3, lastThree(cursor, "u" + round), "round " + round);
                    }
                }
            }
        }
    }
}
