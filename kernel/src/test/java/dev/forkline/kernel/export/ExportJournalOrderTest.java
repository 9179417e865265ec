package dev.forkline.kernel.export;

import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ExportJournalOrderTest
{
    /**
     * Sessions recorded side by side, with outcomes appended after every other session, so that each session
     * waits in memory while the others pass by.
     */
    private static void recordInterleaved(final Store store, final int sessions)
    {
        final List<BranchWriter> writers = new ArrayList<>();
        for (int s = 0; s < sessions; s++)
        {
            writers.add(store.startSession("i" + s, "{\"tags\":{\"n\":\"" + s + "\"}}"));
        }
        for (int turn = 0; turn < 4; turn++)
        {
            for (final BranchWriter writer : writers)
            {
                writer.append(EventKind.USER, "{\"content\":\"question " + turn + " of " + writer.session() + "\"}");
                writer.append(EventKind.MODEL_RESPONSE, "{\"content\":\"answer " + turn + " " + "x".repeat(200) + "\"}");
            }
        }
        for (int s = 0; s < sessions; s += 2)
        {
            final BranchWriter fork = store.fork("i" + s, 4, "retry");
            fork.append(EventKind.MODEL_RESPONSE, "{\"content\":\"better\"}");
            fork.append(EventKind.OUTCOME, "{\"reward\":1}");
        }
        for (int s = sessions - 1; s >= 0; s--)
        {
            writers.get(s).append(EventKind.OUTCOME, "{\"reward\":0}");
        }
        store.commit();
    }

    private static byte[] export(final Store store, final ExportOptions options, final long maxBufferedBytes)
    {
        return export(store, options, maxBufferedBytes, 2);
    }

    private static byte[] export(final Store store, final ExportOptions options, final long maxBufferedBytes, final int threads)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Exporter(store, options, maxBufferedBytes, threads).export(out);
        return out.toByteArray();
    }

    @Test
    void theOutputDoesNotDependOnTheNumberOfThreads(@TempDir final Path dir)
    {
        try (Store store = Store.open(dir))
        {
            recordInterleaved(store, 20);
            ExportFixture.build(store);
            for (final ExportFormat format : List.of(ExportFormat.OPENAI_CHAT, ExportFormat.TRL_PREFERENCE, ExportFormat.SHAREGPT))
            {
                final ExportOptions options = new ExportOptions().format(format);
                final byte[] inline = export(store, options, Long.MAX_VALUE, 0);
                assertTrue(inline.length > 0);
                assertArrayEquals(inline, export(store, options, Long.MAX_VALUE, 1), format.formatName());
                assertArrayEquals(inline, export(store, options, 2_000, 3), format.formatName());
            }
        }
    }

    @Test
    void sessionsThatWaitLongAreReadAgainByBranchWithTheSameResult(@TempDir final Path dir)
    {
        try (Store store = Store.open(dir))
        {
            recordInterleaved(store, 12);
            for (final ExportFormat format : List.of(ExportFormat.OPENAI_CHAT, ExportFormat.OPENAI_PREFERENCE))
            {
                final ExportOptions options = new ExportOptions().format(format);
                final byte[] held = export(store, options, Long.MAX_VALUE);
                final byte[] reread = export(store, options, 1_000);
                final byte[] none = export(store, options, 0);
                assertTrue(held.length > 0);
                assertArrayEquals(held, reread, format.formatName());
                assertArrayEquals(held, none, format.formatName());
                FormatRules.checkAll(format, new ExportFixture.Output(null, held).lines());
            }
            final List<String> lines = new ExportFixture.Output(null, export(store, new ExportOptions(), 0)).lines();
            assertEquals(18, lines.size(), "12 roots and 6 forks");
            assertTrue(lines.get(0).contains("of i11\""), "sessions in the order their last event was written: i11 first\n" + String.join("\n", lines));
            final String last = lines.get(lines.size() - 1);
            assertTrue(last.contains("of i0\"") && last.contains("better"), "i0 last, its fork after its root");
        }
    }

    @Test
    void treeShapeIsTheTreeWithoutOutcomes(@TempDir final Path dir)
    {
        try (Store store = Store.open(dir))
        {
            ExportFixture.build(store);
            final List<dev.forkline.kernel.BranchInfo> tree = store.tree("s1");
            final List<dev.forkline.kernel.BranchInfo> shape = store.treeShape("s1");
            assertEquals(tree.size(), shape.size());
            for (int i = 0; i < tree.size(); i++)
            {
                final dev.forkline.kernel.BranchInfo b = tree.get(i);
                assertNotNull(b.outcome());
                assertEquals(new dev.forkline.kernel.BranchInfo(
                    b.name(), b.session(), b.parent(), b.forkStep(), b.length(), b.lastTimestampNanos(), null), shape.get(i));
            }
            assertThrows(dev.forkline.kernel.ForklineException.class, () -> store.treeShape("s1/1"));
        }
    }

    @Test
    void eventsAppendedAfterTheExportMetASessionWaitForTheNextExport(@TempDir final Path dir)
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter writer = store.startSession("live", (String)null);
            writer.append(EventKind.USER, "{\"content\":\"q\"}");
            writer.append(EventKind.MODEL_RESPONSE, "{\"content\":\"a\"}");
            store.commit();
            final String before = new String(export(store, new ExportOptions(), Long.MAX_VALUE));
            writer.append(EventKind.MODEL_RESPONSE, "{\"content\":\"more\"}");
            store.commit();
            final String after = new String(export(store, new ExportOptions(), Long.MAX_VALUE));
            assertFalse(before.contains("more"));
            assertTrue(after.contains("more"));
        }
    }
}
