package dev.forkline.kernel;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An append allocates nothing on the appending thread, as {@link BranchWriter} promises: the thread's allocation
 * counter barely moves over many appends once the code is warm. A count of bytes, not a time.
 * <p>
 * Each measured run stays well inside the ring (16 MiB by default) after a commit has drained it, so no append waits
 * for room; the wait for a full ring is allowed to allocate its idle strategy.
 */
class AppendAllocationTest
{
    private static final int WARM_UP_ROUNDS = 10;
    private static final int APPENDS = 20_000;
    /** The counter itself may move by a few bytes; one byte an append would already be far over this. */
    private static final long BOUND_BYTES = 1_024;
    private static final String PAYLOAD = "{\"role\":\"user\",\"content\":\"what is 6 x 7? ü € \uD83D\uDE00\"}";

    @TempDir
    Path dir;

    @Test
    void appendingATextPayloadAllocatesNothing()
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter writer = store.startSession("alloc", "{}");
            final long allocated = measure(writer, () ->
            {
                for (int i = 0; i < APPENDS; i++)
                {
                    writer.append(EventKind.USER, PAYLOAD);
                }
            });
            assertTrue(allocated < BOUND_BYTES, allocated + " bytes allocated by " + APPENDS + " appends");
            assertEquals(1 + (WARM_UP_ROUNDS + 1) * (long)APPENDS, writer.nextStep());
        }
    }

    @Test
    void appendingABufferPayloadAllocatesNothing()
    {
        final byte[] bytes = PAYLOAD.getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes.length));
        payload.putBytes(0, bytes);
        try (Store store = Store.open(dir))
        {
            final BranchWriter writer = store.startSession("alloc", "{}");
            final long allocated = measure(writer, () ->
            {
                for (int i = 0; i < APPENDS; i++)
                {
                    writer.append(EventKind.TOOL_RESULT, 0, 1_000L + i, payload, 0, bytes.length);
                }
            });
            assertTrue(allocated < BOUND_BYTES, allocated + " bytes allocated by " + APPENDS + " appends");
            assertEquals(PAYLOAD, store.event("alloc", writer.nextStep() - 1).payloadAsString());
        }
    }

    private static long measure(final BranchWriter writer, final Runnable appends)
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
            "this JVM counts the bytes each thread allocates");
        for (int round = 0; round < WARM_UP_ROUNDS; round++)
        {
            appends.run();
            writer.commit(); // drains the ring, so that no measured append waits for room
        }
        threads.getCurrentThreadAllocatedBytes();
        final long before = threads.getCurrentThreadAllocatedBytes();
        appends.run();
        final long after = threads.getCurrentThreadAllocatedBytes();
        writer.commit();
        return after - before;
    }
}
