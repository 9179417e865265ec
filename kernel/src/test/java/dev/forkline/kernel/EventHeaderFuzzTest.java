package dev.forkline.kernel;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Hostile bytes where events are expected: the event header's check ({@link EventHeader#validate}) never throws and
 * never accepts a damaged record, and a store whose journal holds garbage records opens, reads and verifies.
 */
class EventHeaderFuzzTest
{
    private static UnsafeBuffer offHeap(final byte[] bytes)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.max(1, bytes.length)));
        buffer.putBytes(0, bytes);
        return buffer;
    }

    private static byte[] validRecord(final String payload)
    {
        final byte[] body = payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(EventHeaderDescriptor.HEADER_LENGTH + body.length));
        final EventHeader header = new EventHeader().wrap(buffer, 0)
            .encode(EventKind.USER, 0, 0, 7, 123_456_789L, -1, 0, body.length);
        buffer.putBytes(EventHeaderDescriptor.HEADER_LENGTH, body);
        header.checksum(header.computeChecksum(buffer.capacity()));
        final byte[] bytes = new byte[buffer.capacity()];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    @Property(tries = 2_000)
    void randomBytesAreNeverAnEvent(@ForAll @Size(max = 300) final byte[] bytes)
    {
        final String problem = new EventHeader().wrap(offHeap(bytes), 0).validate(bytes.length);
        assertNotNull(problem, "random bytes accepted as an event");
    }

    @Property(tries = 2_000)
    void anyChangedByteOfASoundRecordIsRefused(
        @ForAll @Size(max = 200) final String payload,
        @ForAll @IntRange(min = 0, max = 10_000) final int position,
        @ForAll @IntRange(min = 1, max = 255) final int xor)
    {
        final byte[] record = validRecord(payload);
        assertNull(new EventHeader().wrap(offHeap(record), 0).validate(record.length), "the sound record is accepted");
        record[position % record.length] ^= (byte)xor;
        assertNotNull(new EventHeader().wrap(offHeap(record), 0).validate(record.length),
            "a record changed at byte " + (position % record.length) + " was accepted");
    }

    @Property(tries = 500)
    void aTruncatedOrExtendedRecordIsRefused(@ForAll @Size(max = 200) final String payload, @ForAll @IntRange(min = -100, max = 100) final int delta)
    {
        final byte[] record = validRecord(payload);
        final int length = Math.max(0, record.length + delta);
        if (length == record.length)
        {
            return;
        }
        final byte[] resized = java.util.Arrays.copyOf(record, length);
        assertNotNull(new EventHeader().wrap(offHeap(resized), 0).validate(length));
    }

    @Property(tries = 25)
    void aJournalWithGarbageRecordsOpensReadsAndVerifies(@ForAll @Size(min = 1, max = 20) final List<@Size(max = 400) byte[]> garbage)
        throws IOException
    {
        final Path dir = Files.createTempDirectory("forkline-fuzz");
        try
        {
            try (Store store = Store.open(dir))
            {
                store.startSession("s", (String)null).append(EventKind.USER, "{\"content\":\"before\"}");
            }
            try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir.resolve(Journal.DIRECTORY))
                .rollCycle(RollCycles.FAST_DAILY).build(); ExcerptAppender appender = queue.createAppender())
            {
                for (final byte[] bytes : garbage)
                {
                    try (DocumentContext dc = appender.writingDocument())
                    {
                        dc.wire().bytes().write(bytes);
                    }
                }
            }
            Files.deleteIfExists(IndexSnapshot.file(dir)); // make open scan the garbage
            try (Store store = Store.open(dir))
            {
                store.writer("s").append(EventKind.USER, "{\"content\":\"after\"}");
                assertEquals("{\"content\":\"after\"}", store.event("s", 2).payloadAsString());
                final VerifyReport report = store.verify();
                assertEquals(garbage.size(), report.damagedCount(), report.toString());
                assertEquals(3, report.events());
                assertEquals(List.of(), report.indexProblems());
            }
        }
        finally
        {
            try (Stream<Path> files = Files.walk(dir))
            {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
