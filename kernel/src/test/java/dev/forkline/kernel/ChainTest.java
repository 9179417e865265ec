package dev.forkline.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.*;

class ChainTest
{
    @TempDir
    Path dir;

    /** Where a text was found in a journal file, with the file's bytes to edit. */
    record Hit(Path file, byte[] bytes, int at)
    {
    }

    private void record()
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter s = store.startSession("s", (String)null);
            s.append(EventKind.USER, "{\"content\":\"alpha\"}");
            s.append(EventKind.USER, "{\"content\":\"bravo\"}");
            s.append(EventKind.USER, "{\"content\":\"charl\"}");
            s.append(EventKind.USER, "{\"content\":\"delta\"}");
            final BranchWriter fork = store.fork("s", 2, "why not");
            fork.append(EventKind.USER, "{\"content\":\"forked\"}");
            store.startSession("t", (String)null).end("done");
        }
    }

    @Test
    void everyEventIsSealedByCloseAndTheChainVerifies()
    {
        record();
        try (Store store = Store.openReadOnly(dir))
        {
            final ChainReport report = store.verifyChain();
            assertTrue(report.ok(), report.problems().toString());
            assertEquals(9, report.sealed(), "5 events of s, the fork event and 1 event of s/1, 2 events of t");
            assertEquals(0, report.unsealed());
            assertEquals(List.of("s", "s/1", "t"), List.copyOf(report.heads().keySet()));
            assertEquals(64, report.heads().get("s").length());
        }
    }

    @Test
    void sealingGoesOnAfterReopenFromTheSnapshotAndFromAScan() throws IOException
    {
        record();
        try (Store store = Store.open(dir))
        {
            store.writer("s").append(EventKind.USER, "{\"content\":\"echo\"}");
        }
        Files.delete(IndexSnapshot.file(dir));
        try (Store store = Store.open(dir))
        {
            store.writer("t").append(EventKind.OUTCOME, "{\"reward\":1}");
        }
        try (Store store = Store.openReadOnly(dir))
        {
            final ChainReport report = store.verifyChain();
            assertTrue(report.ok(), report.problems().toString());
            assertEquals(11, report.sealed());
            assertEquals(0, report.unsealed());
        }
    }

    @Test
    void aChangedEventIsNamedEvenWithItsChecksumRepaired() throws IOException
    {
        record();
        final Hit hit = find("charl");
        hit.bytes()[hit.at()] = 'C'; // "Charl": same length, different content
        repairChecksum(hit);
        Files.write(hit.file(), hit.bytes());
        try (Store store = Store.openReadOnly(dir))
        {
            assertTrue(store.verify().ok(), "the checksum was repaired, so only the chain can tell");
            final ChainReport report = store.verifyChain();
            assertEquals(List.of("s@3 (user) does not match its seal: the event, or the one before it, was changed"),
                report.problems());
        }
    }

    @Test
    void reorderedEventsAreNamed() throws IOException
    {
        record();
        final Hit bravo = find("bravo");
        final Hit charl = find("charl");
        // swap the two records whole (same length): the journal now holds step 3 before step 2
        final int start2 = recordStart(bravo);
        final int start3 = recordStart(charl);
        final int length = start3 - start2 - 4; // each record is preceded by Chronicle's 4-byte excerpt header
        final byte[] bytes = bravo.bytes();
        final byte[] first = Arrays.copyOfRange(bytes, start2, start2 + length);
        System.arraycopy(bytes, start3, bytes, start2, length);
        System.arraycopy(first, 0, bytes, start3, length);
        Files.write(bravo.file(), bytes);
        try (Store store = Store.openReadOnly(dir))
        {
            final ChainReport report = store.verifyChain();
            assertFalse(report.ok());
            assertTrue(report.problems().contains("s@3 is out of order: step 2 was expected (an event was removed, or events were reordered)"),
                report.problems().toString());
            assertTrue(report.problems().stream().anyMatch(p -> p.startsWith("s@2 (user) does not match its seal")),
                report.problems().toString());
        }
    }

    @Test
    void aRemovedEventIsNamed() throws IOException
    {
        record();
        final Hit hit = find("charl");
        final int start = recordStart(hit);
        // mark the excerpt as Chronicle metadata: readers of events no longer see it, as if it were cut out
        final ByteBuffer header = ByteBuffer.wrap(hit.bytes(), start - 4, 4).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(start - 4, header.getInt(start - 4) | 0x40000000);
        Files.write(hit.file(), hit.bytes());
        Files.delete(IndexSnapshot.file(dir));
        try (Store store = Store.openReadOnly(dir))
        {
            final ChainReport report = store.verifyChain();
            assertFalse(report.ok());
            assertTrue(report.problems().contains("s@4 is out of order: step 3 was expected (an event was removed, or events were reordered)"),
                report.problems().toString());
        }
    }

    private int recordStart(final Hit hit)
    {
        return hit.at() - "{\"content\":\"".length() - EventHeaderDescriptor.HEADER_LENGTH;
    }

    private void repairChecksum(final Hit hit)
    {
        final int start = recordStart(hit);
        final ByteBuffer record = ByteBuffer.wrap(hit.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        final int length = EventHeaderDescriptor.HEADER_LENGTH + record.getInt(start + EventHeaderDescriptor.PAYLOAD_LENGTH_OFFSET);
        final CRC32C crc = new CRC32C();
        crc.update(hit.bytes(), start + EventHeaderDescriptor.CHECKSUMMED_OFFSET, length - EventHeaderDescriptor.CHECKSUMMED_OFFSET);
        record.putInt(start + EventHeaderDescriptor.CHECKSUM_OFFSET, (int)crc.getValue());
    }

    private Hit find(final String text) throws IOException
    {
        final byte[] needle = ("{\"content\":\"" + text).getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.list(dir.resolve(Journal.DIRECTORY)))
        {
            for (final Path file : files.filter(f -> f.toString().endsWith(".cq4")).toList())
            {
                final byte[] bytes = Files.readAllBytes(file);
                for (int i = 0; i + needle.length <= bytes.length; i++)
                {
                    if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length))
                    {
                        return new Hit(file, bytes, i + "{\"content\":\"".length());
                    }
                }
            }
        }
        throw new AssertionError(text + " not in the journal");
    }
}
