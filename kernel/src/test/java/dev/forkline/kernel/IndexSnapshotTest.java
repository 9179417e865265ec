package dev.forkline.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.*;

class IndexSnapshotTest
{
    @TempDir
    Path dir;

    private static void record(final Store store, final String session, final int events)
    {
        final BranchWriter writer = store.startSession(session, (String)null);
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
    void aSnapshotWithADamagedTableOrOfAnotherJournalIsIgnoredAndTheJournalScanned() throws IOException
    {
        try (Store store = Store.open(dir))
        {
            record(store, "a", 30);
        }
        final Path file = IndexSnapshot.file(dir);
        final byte[] bytes = Files.readAllBytes(file);
        bytes[IndexSnapshotDescriptor.HEADER_LENGTH + 4] ^= 0x40; // the parent id of branch a, inside the table
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

    @Test
    void openReadsNoLocationBlockAndABranchChecksItsBlockOnceWhenFirstRead()
    {
        try (Store store = Store.open(dir))
        {
            record(store, "a", 40);
            record(store, "b", 40);
            store.fork("a", 10, null).append(EventKind.USER, "{\"content\":\"f\"}");
        }
        try (Store store = Store.openReadOnly(dir))
        {
            final SnapshotBlocks blocks = store.state("a").blocks();
            assertEquals(0, indexerOf(store).indexedThisRun());
            assertEquals(List.of("a", "b"), store.sessions());
            assertEquals(2, store.treeShape("a").size());
            assertEquals(0, blocks.checkedBlocks(), "open and the tree read no location block");

            assertEquals("{\"content\":\"a-4\"}", store.event("a/1", 5).payloadAsString());
            assertEquals(1, blocks.checkedBlocks(), "a step of the shared prefix reads the parent's block only");
            try (EventCursor cursor = store.read("a/1"))
            {
                int read = 0;
                while (cursor.next())
                {
                    read++;
                }
                assertEquals(11, read);
            }
            assertEquals(2, blocks.checkedBlocks(), "the fork's own block, once");
            assertEquals(0, blocks.rebuiltBlocks());
        }
    }

    @Test
    void aDamagedLocationBlockIsRebuiltFromTheJournalForItsBranchAlone() throws IOException
    {
        try (Store store = Store.open(dir))
        {
            record(store, "a", 30);
            record(store, "b", 30);
        }
        final long blockOfA = blockOffset("a");
        final Path file = IndexSnapshot.file(dir);
        final byte[] bytes = Files.readAllBytes(file);
        bytes[(int)blockOfA + 8 * 7 + 2] ^= 0x10; // the location of a@7
        Files.write(file, bytes, StandardOpenOption.TRUNCATE_EXISTING);

        try (Store store = Store.open(dir))
        {
            assertEquals(0, indexerOf(store).indexedThisRun(), "the table is sound: open does not scan");
            for (int step = 1; step <= 30; step++)
            {
                assertEquals("{\"content\":\"a-" + (step - 1) + "\"}", store.event("a", step).payloadAsString());
            }
            assertEquals(1, store.state("a").blocks().rebuiltBlocks());
            assertTrue(store.verify().ok());
            store.writer("b").append(EventKind.USER, "{\"content\":\"late\"}");
        }
        try (Store store = Store.openReadOnly(dir))
        {
            assertEquals("{\"content\":\"a-6\"}", store.event("a", 7).payloadAsString());
            assertEquals(0, store.state("a").blocks().rebuiltBlocks(), "the writer's close wrote a sound snapshot");
        }
    }

    @Test
    void aSnapshotLargerThanItsWriteBufferKeepsEveryBlockAlignedAndSound()
    {
        // 5,000 branch records of about 220 bytes make a table of over 1 MiB, flushed at offsets that are not
        // multiples of 8; every block must still start at the offset the table gives it
        final String prefix = "s".repeat(120) + "-";
        try (Store store = Store.open(dir))
        {
            for (int s = 0; s < 5_000; s++)
            {
                store.startSession(prefix + s, (String)null).append(EventKind.USER, "{\"content\":\"" + s + "\"}");
            }
        }
        try (Store store = Store.openReadOnly(dir))
        {
            assertEquals(0, indexerOf(store).indexedThisRun());
            for (int s = 0; s < 5_000; s++)
            {
                assertEquals("{\"content\":\"" + s + "\"}", store.event(prefix + s, 1).payloadAsString());
            }
            final SnapshotBlocks blocks = store.state(prefix + 0).blocks();
            assertEquals(5_000, blocks.checkedBlocks());
            assertEquals(0, blocks.rebuiltBlocks());
        }
    }

    @Test
    void severalDamagedBlocksAreRebuiltInOneReadOfTheJournal() throws IOException
    {
        try (Store store = Store.open(dir))
        {
            record(store, "a", 20);
            record(store, "b", 20);
            record(store, "c", 20);
        }
        final long blockOfA = blockOffset("a");
        final long blockOfC = blockOffset("c");
        final Path file = IndexSnapshot.file(dir);
        final byte[] bytes = Files.readAllBytes(file);
        bytes[(int)blockOfA + 3] ^= 0x01;
        bytes[(int)blockOfC + 8 * 20 + 1] ^= 0x01;
        Files.write(file, bytes, StandardOpenOption.TRUNCATE_EXISTING);
        try (Store store = Store.openReadOnly(dir))
        {
            for (final String session : List.of("a", "b", "c"))
            {
                for (int step = 1; step <= 20; step++)
                {
                    assertEquals("{\"content\":\"" + session + "-" + (step - 1) + "\"}",
                        store.event(session, step).payloadAsString());
                }
            }
            final SnapshotBlocks blocks = store.state("a").blocks();
            assertEquals(2, blocks.rebuiltBlocks());
            assertEquals(1, blocks.journalScans());
        }
    }

    @Test
    void theSnapshotRecordsWhereTheJournalEndedAndOpenTrustsItOnlyWhileTheNewestFileStillEndsThere() throws IOException
    {
        try (Store store = Store.open(dir))
        {
            record(store, "a", 200);
        }
        final IndexSnapshot.JournalEnd end = IndexSnapshot.load(dir).end();
        final List<Path> files = JournalFileCheck.journalFiles(dir);
        final Path newest = files.get(files.size() - 1);
        assertEquals(newest.getFileName().toString(), end.file());
        try (JournalFileReader reader = new JournalFileReader(64 * 1024))
        {
            reader.open(newest);
            assertEquals(JournalFileReader.Header.READ, reader.readHeader());
            assertEquals(reader.writePosition(), end.writePosition());
            assertTrue(end.offset() > end.writePosition(), "the end lies past the last event: seal records follow it");
            assertEquals(JournalFileReader.Found.END, reader.moveTo(end.offset()));
        }

        // a later writer appends: the newest file's write position moves on, the old end is not used, and open works
        final byte[] stale = Files.readAllBytes(IndexSnapshot.file(dir));
        try (Store store = Store.open(dir))
        {
            store.writer("a").append(EventKind.USER, "{\"content\":\"late\"}");
        }
        Files.write(IndexSnapshot.file(dir), stale);
        try (Store store = Store.openReadOnly(dir))
        {
            assertEquals("{\"content\":\"late\"}", store.event("a", 201).payloadAsString());
        }

        // the file cut between the last event and the recorded end: found, though the snapshot saw it whole
        try (Store store = Store.open(dir))
        {
            store.writer("a").append(EventKind.USER, "{\"content\":\"last\"}");
        }
        final IndexSnapshot.JournalEnd last = IndexSnapshot.load(dir).end();
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(
            newest, StandardOpenOption.WRITE))
        {
            channel.truncate(last.offset() - 8);
        }
        final ForklineException ex = assertThrows(ForklineException.class, () -> Store.openReadOnly(dir));
        assertEquals(ForklineException.Reason.CORRUPT_JOURNAL, ex.reason());
    }

    @Test
    void aLocationThatPointsAtAnotherEventIsRefusedNotReturned() throws IOException
    {
        try (Store store = Store.open(dir))
        {
            record(store, "a", 10);
        }
        final long block = blockOffset("a");
        // swap the locations of a@3 and a@4 and give the block a checksum that matches: a sound block, wrong data
        final Path file = IndexSnapshot.file(dir);
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        final long three = bytes.getLong((int)block + 24);
        bytes.putLong((int)block + 24, bytes.getLong((int)block + 32));
        bytes.putLong((int)block + 32, three);
        final CRC32C crc = new CRC32C();
        crc.update(bytes.array(), (int)block, 11 * 8);
        bytes.putInt((int)block + 11 * 8, (int)crc.getValue());
        Files.write(file, bytes.array(), StandardOpenOption.TRUNCATE_EXISTING);

        try (Store store = Store.openReadOnly(dir))
        {
            final ForklineException ex = assertThrows(ForklineException.class, () -> store.event("a", 3));
            assertEquals(ForklineException.Reason.CORRUPT_EVENT, ex.reason());
            assertTrue(ex.getMessage().contains("the index points at another event (a@4 user)"), ex.getMessage());
            try (EventCursor cursor = store.read("a", 2))
            {
                assertTrue(cursor.next());
                assertThrows(ForklineException.class, cursor::next);
            }
            assertEquals("{\"content\":\"a-4\"}", store.event("a", 5).payloadAsString());
        }
    }

    /**
     * @return where the snapshot holds the location block of {@code branch}.
     */
    private long blockOffset(final String branch)
    {
        try (Store store = Store.openReadOnly(dir))
        {
            return store.state(branch).blockOffset();
        }
    }

    private static JournalIndexer indexerOf(final Store store)
    {
        return store.indexer();
    }
}
