package dev.forkline.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A journal file cut short at different places: the store does not open, with one clear message, and
 * {@link Store#verify(Path)} names the file, the cut and the sessions that lost events, without changing anything.
 */
class CutJournalTest
{
    private static final String CONTENT = "{\"content\":\"";
    private static final int HEAD = 2 << 20;
    /** early: session.start + 300, late: session.start + 300, late/1: fork + 50. */
    private static final long EVENTS = 301 + 301 + 51;

    @TempDir
    Path dir;

    private Path journalFile;
    private byte[] head;
    private final Map<String, Long> locations = new TreeMap<>();

    /**
     * Records two sessions, one after the other, and a fork of the second; keeps each event's journal location.
     */
    private void record() throws IOException
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter early = store.startSession("early", "{\"agent\":\"early-start\"}");
            for (int i = 1; i <= 300; i++)
            {
                early.append(EventKind.USER, payload("early", i));
            }
            final BranchWriter late = store.startSession("late", "{\"agent\":\"late-start\"}");
            for (int i = 1; i <= 300; i++)
            {
                late.append(EventKind.USER, payload("late", i));
            }
            final BranchWriter fork = store.fork("late", 100, "try again");
            for (int i = 100; i < 150; i++)
            {
                fork.append(EventKind.USER, payload("late/1", i));
            }
            store.commit();
            for (final String branch : List.of("early", "late", "late/1"))
            {
                final BranchState state = store.state(branch);
                for (long step = state.forkStep; step < state.length(); step++)
                {
                    locations.put(branch + "@" + step, state.ownLocation(step));
                }
            }
        }
        try (Stream<Path> files = Files.list(dir.resolve(Journal.DIRECTORY)))
        {
            final List<Path> cq4 = files.filter(f -> f.toString().endsWith(".cq4")).toList();
            assertEquals(1, cq4.size(), "one cycle");
            journalFile = cq4.get(0);
        }
        head = new byte[HEAD];
        try (FileChannel channel = FileChannel.open(journalFile, StandardOpenOption.READ))
        {
            channel.read(ByteBuffer.wrap(head), 0);
        }
        assertTrue(writtenLength() < HEAD - 4096, "the test reads the written part of the file whole");
    }

    private static String payload(final String branch, final int i)
    {
        return CONTENT + branch + " " + i + " " + "y".repeat(200) + "\"}";
    }

    /** @return the offset of the Chronicle document holding a user event (keyless: its header word, 48 bytes, payload). */
    private long documentOf(final String branch, final int i)
    {
        final byte[] needle = (CONTENT + branch + " " + i + " ").getBytes(StandardCharsets.UTF_8);
        final int payload = indexOf(needle);
        return payload - EventHeaderDescriptor.HEADER_LENGTH - 4;
    }

    private long endOf(final String branch, final int i)
    {
        return documentOf(branch, i) + 4 + EventHeaderDescriptor.HEADER_LENGTH +
            payload(branch, i).getBytes(StandardCharsets.UTF_8).length;
    }

    /** @return the offset of the document holding a session's session.start (its key is the session id). */
    private long startOf(final String session)
    {
        final byte[] needle = (session + "{\"agent\":\"" + session + "-start\"}").getBytes(StandardCharsets.UTF_8);
        return indexOf(needle) - EventHeaderDescriptor.HEADER_LENGTH - 4;
    }

    private int indexOf(final byte[] needle)
    {
        for (int i = 0; i + needle.length <= head.length; i++)
        {
            if (java.util.Arrays.equals(head, i, i + needle.length, needle, 0, needle.length))
            {
                return i;
            }
        }
        throw new AssertionError("not in the journal: " + new String(needle, StandardCharsets.UTF_8));
    }

    private int word(final long offset)
    {
        return ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt((int)offset);
    }

    /** @return the end of the header document, where Chronicle's index (index2index, then an index array) starts. */
    private long headerEnd()
    {
        return (4 + (word(0) & 0x3FFF_FFFF) + 3) & ~3L;
    }

    /** @return the length of the file up to its last byte that is not zero (the rest is preallocated). */
    private long writtenLength()
    {
        int last = head.length - 1;
        while (last >= 0 && head[last] == 0)
        {
            last--;
        }
        return last + 1;
    }

    private void cut(final long at, final boolean keepSnapshot) throws IOException
    {
        try (FileChannel channel = FileChannel.open(journalFile, StandardOpenOption.WRITE))
        {
            channel.truncate(at);
        }
        assertEquals(at, Files.size(journalFile));
        if (!keepSnapshot)
        {
            Files.delete(IndexSnapshot.file(dir));
        }
    }

    /**
     * Opening for writing and for reading both refuse, with one line that names the file, its size and what to do;
     * a refused writer leaves the store unlocked.
     */
    private void assertDoesNotOpen(final long size)
    {
        for (int attempt = 0; attempt < 2; attempt++)
        {
            final ForklineException writing = assertThrows(ForklineException.class, () -> Store.open(dir).close());
            assertEquals(ForklineException.Reason.CORRUPT_JOURNAL, writing.reason(), writing.getMessage());
        }
        final ForklineException reading = assertThrows(ForklineException.class, () -> Store.openReadOnly(dir).close());
        assertEquals(ForklineException.Reason.CORRUPT_JOURNAL, reading.reason());
        final String message = reading.getMessage();
        assertTrue(message.startsWith("journal file " + journalFile + " was cut short: " + size + " bytes on disk, " +
            "but its records reach offset "), message);
        assertTrue(message.endsWith("; the store cannot be opened: run 'forkline verify --store " + dir +
            "' to see what was lost"), message);
        assertFalse(message.contains("\n"));
    }

    private VerifyReport.Damage verifyCut(final VerifyReport report, final long size)
    {
        assertFalse(report.ok());
        assertEquals(1, report.damagedCount(), report.toString());
        final VerifyReport.Damage damage = report.damaged().get(0);
        assertEquals(journalFile.toString(), damage.file());
        assertTrue(damage.problem().startsWith("the journal file was cut short at " + size + " bytes (its records reach offset "),
            damage.problem());
        assertTrue(damage.offset() <= size, damage.toString());
        return damage;
    }

    /** @return a digest of every file of the journal and the index, to show that nothing was changed. */
    private Map<String, String> digest() throws IOException, NoSuchAlgorithmException
    {
        final Map<String, String> digests = new TreeMap<>();
        for (final String sub : List.of(Journal.DIRECTORY, IndexSnapshotDescriptor.DIRECTORY))
        {
            if (!Files.isDirectory(dir.resolve(sub)))
            {
                continue;
            }
            try (Stream<Path> files = Files.list(dir.resolve(sub)))
            {
                for (final Path file : files.toList())
                {
                    final MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    sha.update(Files.readAllBytes(file));
                    digests.put(file.toString(), Files.size(file) + " " + Files.getLastModifiedTime(file) + " " +
                        HexFormat.of().formatHex(sha.digest()));
                }
            }
        }
        return digests;
    }

    @ParameterizedTest(name = "index snapshot kept: {0}")
    @ValueSource(booleans = {true, false})
    void aFileCutToHalfItsWrittenLengthDoesNotOpenAndVerifyNamesTheCut(final boolean snapshot) throws Exception
    {
        record();
        final long at = writtenLength() / 2;
        assertTrue(at > documentOf("early", 1) && at < documentOf("early", 300), "the cut falls among early's events");
        cut(at, snapshot);
        final Map<String, String> before = digest();
        assertDoesNotOpen(at);
        final VerifyReport report = Store.verify(dir);
        assertEquals(before, digest(), "nothing is changed");

        final VerifyReport.Damage damage = verifyCut(report, at);
        int firstLost = 1;
        while (endOf("early", firstLost) <= at)
        {
            firstLost++;
        }
        assertTrue(damage.offset() > endOf("early", firstLost - 1) - 1 && damage.offset() <= documentOf("early", firstLost),
            "the first record the cut reaches into: " + damage);
        assertEquals(locations.get("early@" + firstLost), damage.journalIndex());
        assertEquals(firstLost, report.events(), "session.start and the events before the cut are read and sound");
        final long lost = EVENTS - firstLost;
        assertTrue(damage.problem().contains(": " + lost + " events from here on are lost;"), damage.problem());
        assertTrue(damage.problem().endsWith("; the last event before the cut is early@" + (firstLost - 1)), damage.problem());
        final boolean split = at >= documentOf("early", firstLost) + 4 + EventHeaderDescriptor.HEADER_LENGTH;
        if (snapshot)
        {
            assertEquals("early@" + firstLost, damage.event());
            assertEquals(List.of("early", "late"), report.affectedSessions());
            assertTrue(damage.problem().contains("the index snapshot locates all of them"), damage.problem());
            assertEquals(List.of(
                "early@" + firstLost + "..early@300 are lost with the cut of " + journalFile.getFileName(),
                "late@0..late@300 are lost with the cut of " + journalFile.getFileName(),
                "late/1's fork event is lost with the cut of " + journalFile.getFileName(),
                "late/1@100..late/1@149 are lost with the cut of " + journalFile.getFileName()), report.indexProblems());
        }
        else
        {
            assertEquals(split ? "early@" + firstLost : null, damage.event(), "known only from the header the cut split");
            assertEquals(split ? List.of("early") : List.of(), report.affectedSessions());
            assertTrue(damage.problem().contains("no index snapshot locates them, so their sessions are not known"));
            assertEquals(List.of(), report.indexProblems());
        }
    }

    @ParameterizedTest(name = "index snapshot kept: {0}")
    @ValueSource(booleans = {true, false})
    void aFileCutJustAfterItsHeaderLosesEverything(final boolean snapshot) throws Exception
    {
        record();
        final long at = headerEnd();
        cut(at, snapshot);
        assertDoesNotOpen(at);
        final VerifyReport report = Store.verify(dir);
        final VerifyReport.Damage damage = verifyCut(report, at);
        assertEquals(at, damage.offset(), "Chronicle's index2index was the first record after the header");
        assertEquals(0, report.events());
        assertEquals(locations.get("early@0"), damage.journalIndex());
        assertTrue(damage.problem().contains(": " + EVENTS + " events from here on are lost;"), damage.problem());
        assertEquals(snapshot ? List.of("early", "late") : List.of(), report.affectedSessions());
        assertEquals(snapshot ? "early@0" : null, damage.event());
    }

    @ParameterizedTest(name = "index snapshot kept: {0}")
    @ValueSource(booleans = {true, false})
    void aFileCutInsideChroniclesIndexDoesNotOpen(final boolean snapshot) throws Exception
    {
        record();
        final long index2index = headerEnd();
        final int index2indexWord = word(index2index);
        assertEquals(0x4000_0000, index2indexWord & 0xC000_0000, "metadata: Chronicle's index2index");
        final long indexArray = (index2index + 4 + (index2indexWord & 0x3FFF_FFFF) + 3) & ~3L;
        assertEquals(0x4000_0000, word(indexArray) & 0xC000_0000, "metadata: Chronicle's first index array");
        final long at = indexArray + 1000;
        cut(at, snapshot);
        assertDoesNotOpen(at);
        final VerifyReport report = Store.verify(dir);
        final VerifyReport.Damage damage = verifyCut(report, at);
        assertEquals(indexArray, damage.offset());
        assertEquals(0, report.events());
        assertEquals(snapshot ? List.of("early", "late") : List.of(), report.affectedSessions());
    }

    @ParameterizedTest(name = "index snapshot kept: {0}")
    @ValueSource(booleans = {true, false})
    void aFileCutExactlyAtARecordBoundaryNamesOnlyTheSessionsAfterIt(final boolean snapshot) throws Exception
    {
        record();
        final long at = startOf("late");
        assertTrue(at >= endOf("early", 300), "late starts after the last event of early");
        cut(at, snapshot);
        final Map<String, String> before = digest();
        assertDoesNotOpen(at);
        final VerifyReport report = Store.verify(dir);
        assertEquals(before, digest(), "nothing is changed");
        final VerifyReport.Damage damage = verifyCut(report, at);
        assertEquals(at, damage.offset());
        assertEquals(locations.get("late@0"), damage.journalIndex());
        assertEquals(301, report.events(), "every event of early is read");
        assertTrue(damage.problem().contains(": 352 events from here on are lost;"), damage.problem());
        assertTrue(damage.problem().endsWith("; the last event before the cut is early@300"), damage.problem());
        if (snapshot)
        {
            assertEquals("late@0", damage.event());
            assertEquals("late", damage.session());
            assertEquals(List.of("late"), report.affectedSessions(), "early lost nothing");
        }
        else
        {
            assertNull(damage.event());
            assertEquals(List.of(), report.affectedSessions(), "nothing says whose events were past the cut");
            assertTrue(damage.problem().contains("so their sessions are not known"), damage.problem());
        }
    }

    @ParameterizedTest(name = "index snapshot kept: {0}")
    @ValueSource(booleans = {true, false})
    void aFileCutInsideItsLastEventNamesItFromItsHeader(final boolean snapshot) throws Exception
    {
        record();
        final long last = documentOf("late/1", 149);
        final long at = last + 4 + EventHeaderDescriptor.HEADER_LENGTH + 20;
        cut(at, snapshot);
        assertDoesNotOpen(at);
        final VerifyReport report = Store.verify(dir);
        final VerifyReport.Damage damage = verifyCut(report, at);
        assertEquals(last, damage.offset());
        assertEquals(locations.get("late/1@149"), damage.journalIndex());
        assertEquals("late/1@149", damage.event(), "from the header before the cut, and the fork record's key");
        assertEquals("late", damage.session());
        assertEquals(List.of("late"), report.affectedSessions());
        assertEquals(EVENTS - 1, report.events());
        assertTrue(damage.problem().contains(": 1 event from here on is lost;"), damage.problem());
        assertTrue(damage.problem().endsWith("; the last event before the cut is late/1@148"), damage.problem());
        assertEquals(snapshot ? List.of("late/1@149 is lost with the cut of " + journalFile.getFileName()) : List.of(),
            report.indexProblems());
    }

    @Test
    void aFileCutAfterItsLastEventLosesOnlySealsButDoesNotOpen() throws Exception
    {
        record();
        final long lastEventEnd = endOf("late/1", 149);
        assertTrue(writtenLength() > lastEventEnd + 64, "seal records follow the last event");
        final long at = lastEventEnd + 32;
        cut(at, true);
        assertDoesNotOpen(at);
        final VerifyReport report = Store.verify(dir);
        final VerifyReport.Damage damage = verifyCut(report, at);
        assertTrue(damage.problem().contains("no event is lost"), damage.problem());
        assertEquals(EVENTS, report.events());
        assertEquals(List.of(), report.affectedSessions());
        assertEquals(List.of(), report.indexProblems());
    }

    @Test
    void anEmptiedFileLosesEverythingTheSnapshotLocated() throws Exception
    {
        record();
        cut(0, true);
        assertDoesNotOpen(0);
        final VerifyReport report = Store.verify(dir);
        final VerifyReport.Damage damage = verifyCut(report, 0);
        assertEquals(0, damage.offset());
        assertTrue(damage.problem().contains("every record in it is lost"), damage.problem());
        assertEquals(List.of("early", "late"), report.affectedSessions());
        assertEquals("early@0", damage.event());
    }

    @Test
    void verifyByPathOfAWholeStoreIsTheUsualVerify() throws Exception
    {
        record();
        final VerifyReport report = Store.verify(dir);
        assertTrue(report.ok(), report.toString());
        assertEquals(EVENTS, report.events());
        assertEquals(ForklineException.Reason.NO_STORE,
            assertThrows(ForklineException.class, () -> Store.verify(dir.resolve("none"))).reason());
    }

    @Test
    void theCheckReadsChroniclesWritePositionAndSequence() throws Exception
    {
        record();
        try (JournalFileReader reader = new JournalFileReader(4096))
        {
            reader.open(journalFile);
            assertEquals(JournalFileReader.Header.READ, reader.readHeader());
            assertEquals(documentOf("late/1", 149), reader.writePosition(), "the last event's document");
            final long last = locations.get("late/1@149");
            assertEquals(Journal.ROLL_CYCLE.toSequenceNumber(last), reader.writeSequence(32));
            assertEquals(Journal.ROLL_CYCLE.toCycle(last), CutJournalVerifier.cycleOf(journalFile));
            assertEquals(headerEnd(), reader.firstDocument());
        }
        assertEquals(List.of(), JournalFileCheck.find(dir));
    }
}
