package dev.forkline.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class CorruptEventTest
{
    @TempDir
    Path dir;

    private long cutAt = -1;

    private void recordThree()
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter session = store.startSession("s", (String)null);
            session.append(EventKind.USER, "{\"content\":\"first\"}");
            session.append(EventKind.USER, "{\"content\":\"MARKER-payload\"}");
            session.append(EventKind.USER, "{\"content\":\"third\"}");
        }
    }

    /** Flips one byte at {@code delta} from where {@code marker} starts in the journal file that holds it. */
    private void flip(final String marker, final int delta) throws IOException
    {
        final byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.list(dir.resolve(Journal.DIRECTORY)))
        {
            for (final Path file : files.filter(f -> f.toString().endsWith(".cq4")).toList())
            {
                final byte[] bytes = Files.readAllBytes(file);
                for (int i = 0; i + needle.length <= bytes.length; i++)
                {
                    if (java.util.Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length))
                    {
                        bytes[i + delta] ^= 0x01;
                        Files.write(file, bytes);
                        return;
                    }
                }
            }
        }
        fail("marker not found in the journal");
    }

    @Test
    void aFlippedPayloadBitIsRefusedByItsChecksum() throws IOException
    {
        recordThree();
        flip("MARKER", 0);
        try (Store store = Store.openReadOnly(dir))
        {
            assertEquals("{\"content\":\"first\"}", store.event("s", 1).payloadAsString());
            final ForklineException ex = assertThrows(ForklineException.class, () -> store.event("s", 2));
            assertEquals(ForklineException.Reason.CORRUPT_EVENT, ex.reason());
            assertTrue(ex.getMessage().startsWith("corrupt event s@2 (journal index 0x"), ex.getMessage());
            assertTrue(ex.getMessage().contains("): checksum mismatch (stored 0x"), ex.getMessage());
            assertEquals("{\"content\":\"third\"}", store.event("s", 3).payloadAsString(), "neighbours still read");
        }
    }

    @Test
    void aCorruptHeaderIsNamedAndTheEventSkippedWhenTheJournalIsScanned() throws IOException
    {
        recordThree();
        Files.delete(IndexSnapshot.file(dir)); // make open scan the journal
        // the magic sits 44 bytes before the payload of a keyless event
        flip("{\"content\":\"MARKER", -44);
        try (Store store = Store.openReadOnly(dir))
        {
            assertEquals(1, store.indexer().skipped());
            final List<String> problems = store.indexer().problems();
            assertTrue(problems.get(0).contains("bad magic"), problems.toString());
            final ForklineException ex = assertThrows(ForklineException.class, () -> store.event("s", 2));
            assertEquals(ForklineException.Reason.CORRUPT_EVENT, ex.reason());
            assertEquals("corrupt event s@2: event is missing from the journal (a damaged record was skipped)",
                ex.getMessage());
            assertEquals("{\"content\":\"third\"}", store.event("s", 3).payloadAsString());
        }
        try (Store store = Store.openReadOnly(dir); JournalCursor cursor = store.readJournal())
        {
            int damaged = 0;
            while (cursor.next())
            {
                if (cursor.problem() != null)
                {
                    damaged++;
                    assertTrue(cursor.problem().startsWith("bad magic"), cursor.problem());
                }
            }
            assertEquals(1, damaged);
        }
    }

    /** Records 200 events of s, then cuts the journal file inside the record of event 100: its header stays. */
    private Path recordAndCutInsideEvent100() throws IOException
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter session = store.startSession("s", (String)null);
            for (int i = 0; i < 200; i++)
            {
                session.append(EventKind.USER, "{\"content\":\"event " + i + " " + "y".repeat(200) + "\"}");
            }
        }
        return journalFileWith("event 100 ");
    }

    /** @return the journal file holding {@code marker}; {@link #cutAt} is where the marker starts. */
    private Path journalFileWith(final String marker) throws IOException
    {
        final byte[] cut = marker.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.list(dir.resolve(Journal.DIRECTORY)))
        {
            for (final Path file : files.filter(f -> f.toString().endsWith(".cq4")).toList())
            {
                final byte[] bytes = Files.readAllBytes(file);
                for (int i = 0; i + cut.length <= bytes.length; i++)
                {
                    if (java.util.Arrays.equals(bytes, i, i + cut.length, cut, 0, cut.length))
                    {
                        cutAt = i;
                        return file;
                    }
                }
            }
        }
        return fail("marker not found in the journal");
    }

    private static void truncate(final Path file, final long size) throws IOException
    {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
            java.nio.file.StandardOpenOption.WRITE))
        {
            channel.truncate(size);
        }
    }

    @Test
    void aJournalFileCutInsideARecordDoesNotOpenAndVerifyNamesTheLoss() throws IOException
    {
        final Path journalFile = recordAndCutInsideEvent100();
        truncate(journalFile, cutAt);
        Files.delete(IndexSnapshot.file(dir)); // what is known must come from the journal alone
        final ForklineException ex = assertThrows(ForklineException.class, () -> Store.openReadOnly(dir));
        assertEquals(ForklineException.Reason.CORRUPT_JOURNAL, ex.reason());
        assertTrue(ex.getMessage().startsWith("journal file " + journalFile + " was cut short: " + cutAt + " bytes on disk"),
            ex.getMessage());

        final VerifyReport report = Store.verify(dir);
        assertFalse(report.ok());
        assertEquals(101, report.events(), "session.start and events 0..99 are whole");
        assertEquals(1, report.damagedCount());
        final VerifyReport.Damage damage = report.damaged().get(0);
        assertEquals("s@101", damage.event(), "the header of the record the cut split is inside the file");
        assertEquals(journalFile.toString(), damage.file());
        assertTrue(damage.offset() < cutAt && damage.offset() > cutAt - 100, damage.toString());
        assertTrue(damage.problem().contains(": 100 events from here on are lost;"), damage.problem());
        assertEquals(List.of("s"), report.affectedSessions());
    }

    @Test
    void aJournalFileCutWhileTheStoreIsOpenRefusesTheEventTheCutSplit() throws IOException
    {
        final Path journalFile = recordAndCutInsideEvent100();
        try (Store store = Store.openReadOnly(dir))
        {
            assertEquals(201, store.branch("s").length());
            truncate(journalFile, cutAt);
            // every read checks that the record lies inside its file before it touches the record's bytes
            assertEquals("{\"content\":\"event 50 " + "y".repeat(200) + "\"}", store.event("s", 51).payloadAsString());
            final ForklineException ex = assertThrows(ForklineException.class, () -> store.event("s", 101));
            assertEquals(ForklineException.Reason.CORRUPT_EVENT, ex.reason());
            assertTrue(ex.getMessage().endsWith("(" + cutAt + " bytes): the journal file was cut short"), ex.getMessage());
        }
    }
}
