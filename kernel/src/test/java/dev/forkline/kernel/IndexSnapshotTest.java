package dev.forkline.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class IndexSnapshotTest
{
    @TempDir
    Path dir;

    private static void record(final Store store, final String session, final int events)
    {
        final BranchWriter writer = store.startSession(session, null);
        for (int i = 0; i < events; i++)
        {
            writer.append(EventKind.USER, "{\"content\":\"" + session + "-" + i + "\"}");
        }
    }

    @Test
    void closeWritesASnapshotAndOpenReadsOnlyTheJournalAfterIt()
    {
        try (Store store = Store.open(dir))
        {
            record(store, "a", 100);
            store.fork("a", 50, "x").append(EventKind.USER, "{\"content\":\"f\"}");
        }
        assertTrue(Files.exists(IndexSnapshot.file(dir)));

        try (Store store = Store.open(dir))
        {
            assertEquals(0, indexerOf(store).indexedThisRun(), "everything came from the snapshot");
            assertEquals(101, store.branch("a").length());
            assertEquals(51, store.branch("a/1").length());
            assertEquals("{\"content\":\"a-48\"}", store.event("a/1", 49).payloadAsString());
            assertEquals("{\"content\":\"f\"}", store.event("a/1", 50).payloadAsString());
            record(store, "b", 10);
            assertEquals("a/2", store.fork("a", 1, null).branch(), "fork numbering is restored");
        }
        try (Store store = Store.openReadOnly(dir))
        {
            assertEquals(0, indexerOf(store).indexedThisRun());
            assertEquals(List.of("a", "b"), store.sessions());
            assertEquals("{\"content\":\"b-9\"}", store.event("b", 10).payloadAsString());
            assertEquals(List.of("a", "a/1", "a/2"), store.tree("a").stream().map(BranchInfo::name).toList());
        }
    }

    @Test
    void aWriterThatDiedLeavesAStaleSnapshotAndOpenScansOnlyTheRest() throws IOException
    {
        try (Store store = Store.open(dir))
        {
            record(store, "a", 20);
        }
        final byte[] stale = Files.readAllBytes(IndexSnapshot.file(dir));
        try (Store store = Store.open(dir))
        {
            record(store, "b", 5);
            store.writer("a").append(EventKind.USER, "{\"content\":\"late\"}");
        }
        Files.write(IndexSnapshot.file(dir), stale); // as if the second writer had crashed before its snapshot
        try (Store store = Store.openReadOnly(dir))
        {
            assertEquals(7, indexerOf(store).indexedThisRun(), "session.start + 5 of b, and a's late event");
            assertEquals(22, store.branch("a").length());
            assertEquals("{\"content\":\"late\"}", store.event("a", 21).payloadAsString());
            assertEquals(6, store.branch("b").length());
        }
    }

    @Test
    void aDamagedOrForeignSnapshotIsIgnoredAndTheJournalScanned() throws IOException
    {
        try (Store store = Store.open(dir))
        {
            record(store, "a", 30);
        }
        final Path file = IndexSnapshot.file(dir);
        final byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(file, bytes, StandardOpenOption.TRUNCATE_EXISTING);
        try (Store store = Store.openReadOnly(dir))
        {
            assertEquals(31, indexerOf(store).indexedThisRun());
            assertEquals(31, store.branch("a").length());
        }

        final Path other = dir.resolve("other");
        try (Store store = Store.open(other))
        {
            record(store, "z", 3);
        }
        Files.copy(IndexSnapshot.file(other), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (Store store = Store.openReadOnly(dir))
        {
            assertEquals(31, indexerOf(store).indexedThisRun(), "a snapshot of another journal is not trusted");
            assertEquals(List.of("a"), store.sessions());
        }
    }

    private static JournalIndexer indexerOf(final Store store)
    {
        return store.indexer();
    }
}
