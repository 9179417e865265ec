package dev.forkline.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class CrossProcessReadTest
{
    private static final int HALF = 1_000;

    @TempDir
    Path dir;

    /** The writing process: half the events, wait for the reader's signal, the other half. */
    public static void main(final String[] args) throws Exception
    {
        final Path storeDir = Path.of(args[0]);
        final Path go = Path.of(args[1]);
        try (Store store = Store.open(storeDir))
        {
            final BranchWriter session = store.startSession("live", "{}");
            for (int i = 0; i < HALF; i++)
            {
                session.append(EventKind.EFFECT, "{\"n\":" + i + "}");
            }
            session.commit();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(go) && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            for (int i = HALF; i < 2 * HALF; i++)
            {
                session.append(EventKind.EFFECT, "{\"n\":" + i + "}");
            }
            session.end("done");
        }
    }

    @Test
    void aSecondProcessReadsASessionWhileTheFirstIsAppendingToIt() throws Exception
    {
        final Path storeDir = dir.resolve("store");
        final Path go = dir.resolve("go");
        final Process writer = ChildJvm.builder(JvmFlags.REQUIRED, ChildJvm.classPath(entry -> true),
            CrossProcessReadTest.class, storeDir.toString(), go.toString()).inheritIO().start();
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.isDirectory(storeDir.resolve(Journal.DIRECTORY)) || !hasSession(storeDir))
            {
                assertTrue(System.nanoTime() < deadline, "writer never started the session");
                Thread.sleep(10);
            }
            try (Store reader = Store.openReadOnly(storeDir); EventCursor cursor = reader.read("live"))
            {
                int seen = -1; // session.start is step 0
                while (seen < 2 * HALF)
                {
                    assertTrue(System.nanoTime() < deadline, "reader stalled at " + seen);
                    if (!cursor.next())
                    {
                        Thread.sleep(1);
                        continue;
                    }
                    final EventView event = cursor.event();
                    assertEquals(seen + 1, event.step());
                    if (seen >= 0)
                    {
                        assertEquals("{\"n\":" + seen + "}", event.payloadAsString());
                    }
                    seen++;
                    if (seen == HALF)
                    {
                        assertTrue(writer.isAlive(), "the writer is still running, waiting for us");
                        assertEquals(HALF + 1, reader.branch("live").length());
                        Files.createFile(go);
                    }
                }
                while (!cursor.next())
                {
                    assertTrue(System.nanoTime() < deadline, "no session.end");
                    Thread.sleep(1);
                }
                assertEquals(EventKind.SESSION_END, cursor.event().kind());
            }
            assertTrue(writer.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, writer.exitValue());
        }
        finally
        {
            writer.destroyForcibly();
        }
    }

    private static boolean hasSession(final Path storeDir)
    {
        try (Store store = Store.openReadOnly(storeDir))
        {
            return store.sessions().equals(List.of("live"));
        }
        catch (final ForklineException ex)
        {
            return false;
        }
    }
}
