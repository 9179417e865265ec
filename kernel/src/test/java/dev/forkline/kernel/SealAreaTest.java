package dev.forkline.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Flipped bytes in the seal records a closed store leaves after its last event: plain {@code verify} reports each,
 * and {@code verify --chain} never calls an event that is as recorded changed. A random sample of the bytes by
 * default; {@code -Dforkline.seal.flips=all} flips every byte of the area.
 */
class SealAreaTest
{
    private static final boolean EVERY_BYTE = "all".equals(System.getProperty("forkline.seal.flips"));
    private static final int SAMPLE = 16;

    @TempDir
    Path dir;

    /** A store of two sessions and a fork, closed: its last seal records follow its last event. */
    private Path record()
    {
        final Path store = dir.resolve("store");
        try (Store writer = Store.open(store))
        {
            final BranchWriter a = writer.startSession("a");
            a.append(EventKind.USER, "{\"content\":\"one\"}");
            a.append(EventKind.MODEL_RESPONSE, "{\"content\":\"two\"}");
            writer.commit();
            final BranchWriter b = writer.startSession("b");
            b.append(EventKind.USER, "{\"content\":\"three\"}");
            writer.fork("a", 2, "again").append(EventKind.MODEL_RESPONSE, "{\"content\":\"four\"}");
            a.append(EventKind.OUTCOME, "{\"reward\":1}");
        }
        return store;
    }

    @Test
    void aFlippedByteInTheSealAreaIsReportedAndNoIntactEventIsCalledChanged() throws IOException
    {
        final Path store = record();
        final Path file = journalFile(store);
        final long[] area = sealArea(file);
        assertTrue(area[1] > area[0], "the closed store has seal records after its last event");
        try (Store opened = Store.openReadOnly(store))
        {
            assertTrue(opened.verify().ok());
            final ChainReport chain = opened.verifyChain();
            assertTrue(chain.ok() && chain.unsealed() == 0, chain.toString());
        }

        final Random random = new Random(42);
        final List<long[]> flips = new ArrayList<>(); // offset, mask
        for (long offset = area[0]; offset < area[1]; offset++)
        {
            if (EVERY_BYTE || offset < area[0] + 4)
            {
                flips.add(new long[] {offset, 1 + random.nextInt(255)});
            }
        }
        flips.add(new long[] {area[0] + 3, 0x80}); // the header word's "not complete" bit
        flips.add(new long[] {area[0] + 3, 0x40}); // its "metadata" bit
        flips.add(new long[] {area[0] + 4, 0xFF}); // 'F' of the magic becomes Chronicle's 0xB9
        for (int i = 0; i < SAMPLE && !EVERY_BYTE; i++)
        {
            flips.add(new long[] {area[0] + 4 + random.nextInt((int)(area[1] - area[0] - 4)), 1L << random.nextInt(8)});
        }
        for (final long[] flip : flips)
        {
            final String what = "byte " + (flip[0] - area[0]) + " of the seal area, xor 0x" + Long.toHexString(flip[1]);
            xor(file, flip[0], (int)flip[1]);
            try
            {
                assertFalse(Store.verify(store).ok(), "plain verify misses a flip of " + what);
                try (Store opened = Store.openReadOnly(store))
                {
                    final ChainReport chain = opened.verifyChain();
                    assertEquals(List.of(), chain.problems(), "verify --chain calls an intact event changed after a flip of " + what);
                    assertEquals(8, chain.sealed() + chain.unsealed(), "every event is sealed or not sealed yet: " + what);
                }
                catch (final ForklineException ex)
                {
                    // a length flipped past the end of the file: the store does not open, and verify said why
                    assertEquals(ForklineException.Reason.CORRUPT_JOURNAL, ex.reason(), what + ": " + ex.getMessage());
                }
            }
            finally
            {
                xor(file, flip[0], (int)flip[1]);
            }
        }
        try (Store opened = Store.openReadOnly(store))
        {
            assertTrue(opened.verify().ok(), "the flips were undone");
        }
    }

    @Test
    void aDamagedSealRecordBetweenEventsIsCheckedThroughWithTheNextSealOfItsBranch() throws IOException
    {
        final Path store = record();
        try (Store writer = Store.open(store))
        {
            writer.writer("a").append(EventKind.ANNOTATION, "{\"step\":1,\"label\":\"good\"}");
            writer.writer("b").append(EventKind.MODEL_RESPONSE, "{\"content\":\"five\"}");
        }
        final Path file = journalFile(store);
        final long[] seals = firstSealBetweenEvents(file);
        xor(file, seals[0] + 4 + ChainSealDescriptor.HEADER_LENGTH + ChainSealDescriptor.ENTRY_CHAIN_OFFSET, 0x01);
        final VerifyReport report = Store.verify(store);
        assertEquals(1, report.damagedCount(), report.toString());
        assertTrue(report.damaged().get(0).problem().startsWith("seal record checksum mismatch"), report.toString());
        try (Store opened = Store.openReadOnly(store))
        {
            final ChainReport chain = opened.verifyChain();
            assertEquals(List.of(), chain.problems());
            assertEquals(1, chain.damaged().size(), chain.damaged().toString());
            assertTrue(chain.damaged().get(0).startsWith("the seal record before journal index 0x"), chain.damaged().toString());
            assertEquals(10, chain.sealed() + chain.unsealed());
            assertTrue(chain.sealed() >= 8, "a and b go on after the damaged seal, and their next seals vouch for " +
                "the events it sealed: " + chain);
        }
    }

    @Test
    void aDamagedEventIsNoRemovalToTheChain() throws IOException
    {
        final Path store = record();
        final Path file = journalFile(store);
        final byte[] bytes = Files.readAllBytes(file);
        final byte[] marker = "\"two\"".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i + marker.length <= bytes.length; i++)
        {
            if (java.util.Arrays.equals(bytes, i, i + marker.length, marker, 0, marker.length))
            {
                xor(file, i + 1, 0x01);
                break;
            }
        }
        try (Store opened = Store.openReadOnly(store))
        {
            assertEquals(1, opened.verify().damagedCount());
            final ChainReport chain = opened.verifyChain();
            assertEquals(List.of(), chain.problems(), "a@3 follows a damaged a@2; it was not moved or changed");
            assertEquals(1, chain.damaged().size(), chain.damaged().toString());
            assertTrue(chain.damaged().get(0).matches("a: the event sealed at journal index 0x[0-9a-f]+ is damaged \\(verify " +
                "names it\\): its seal cannot be checked"), chain.damaged().toString());
            assertEquals(7, chain.sealed());
        }
    }

    /**
     * @return the offsets of the first seal record that has an event after it.
     */
    private static long[] firstSealBetweenEvents(final Path file) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long seal = -1;
        for (int at = 0; at + 4 <= bytes.capacity(); )
        {
            final int word = bytes.getInt(at);
            if (!JournalFileDescriptor.isComplete(word))
            {
                break;
            }
            if (JournalFileDescriptor.isMetaDataWord(word) && bytes.getInt(at + 4) == ChainSealDescriptor.MAGIC && seal < 0)
            {
                seal = at;
            }
            else if (!JournalFileDescriptor.isMetaDataWord(word) && seal >= 0)
            {
                return new long[] {seal, at};
            }
            at = (int)JournalFileDescriptor.nextDocument(at + 4L + JournalFileDescriptor.lengthOf(word), true);
        }
        throw new AssertionError("no seal record between events");
    }

    /**
     * @return the offsets where the documents after the file's last event begin and end.
     */
    private static long[] sealArea(final Path file) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long lastEventEnd = -1;
        long end = 0;
        for (int at = 0; at + 4 <= bytes.capacity(); )
        {
            final int word = bytes.getInt(at);
            if (!JournalFileDescriptor.isComplete(word))
            {
                break;
            }
            final int next = (int)JournalFileDescriptor.nextDocument(at + 4L + JournalFileDescriptor.lengthOf(word), true);
            if (!JournalFileDescriptor.isMetaDataWord(word))
            {
                lastEventEnd = next;
            }
            end = at + 4L + JournalFileDescriptor.lengthOf(word);
            at = next;
        }
        return new long[] {lastEventEnd, end};
    }

    private static Path journalFile(final Path store) throws IOException
    {
        try (Stream<Path> files = Files.list(store.resolve(Journal.DIRECTORY)))
        {
            return files.filter(f -> f.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
    }

    private static void xor(final Path file, final long offset, final int mask) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(offset);
            final int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ mask);
        }
    }
}
