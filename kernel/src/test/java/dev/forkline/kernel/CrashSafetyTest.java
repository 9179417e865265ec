package dev.forkline.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Kills a writing JVM with SIGKILL at random moments and checks what survives: the store opens, every
 * event acknowledged under {@link Durability#SYNC} is there and sound, and appending goes on.
 * {@code -Dforkline.crash.rounds=N} runs a longer soak.
 */
class CrashSafetyTest
{
    @TempDir
    Path dir;

    /** A writer never killed stops by itself after this long, so that it cannot fill the disk. */
    private static final long WRITER_LIFETIME_NANOS = TimeUnit.SECONDS.toNanos(30);

    /**
     * Appends at full speed to session {@code args[1]}, a commit point every 16 events, and prints
     * "ack STEP" for each committed step once the commit returned. Exits with status 4 if not killed in time.
     */
    public static void main(final String[] args)
    {
        try (Store store = Store.open(Path.of(args[0]), new StoreOptions().durability(Durability.SYNC)))
        {
            final BranchWriter session = store.startSession(args[1], (String)null);
            System.out.println("started");
            System.out.flush();
            final StringBuilder payload = new StringBuilder();
            final long deadline = System.nanoTime() + WRITER_LIFETIME_NANOS;
            for (long i = 0; System.nanoTime() < deadline; i++)
            {
                payload.setLength(0);
                payload.append("{\"n\":").append(i).append(",\"pad\":\"").append("x".repeat((int)(i % 700))).append("\"}");
                final boolean commit = i % 16 == 15;
                final long step = session.append(EventKind.EFFECT, commit ? EventFlags.COMMIT : 0, store.nowNanos(), payload);
                if (commit)
                {
                    System.out.println("ack " + step);
                    System.out.flush();
                }
            }
        }
        System.exit(4);
    }

    @Test
    void killedWritersLoseNothingTheyAcknowledged() throws Exception
    {
        final int rounds = Integer.getInteger("forkline.crash.rounds", 20);
        final Random random = new Random(42);
        final Map<String, Long> acknowledged = new HashMap<>();
        for (int round = 0; round < rounds; round++)
        {
            final String session = "crash-" + round;
            final Process writer = ChildJvm.builder(JvmFlags.REQUIRED, ChildJvm.classPath(entry -> true),
                CrashSafetyTest.class, dir.toString(), session).redirectErrorStream(true).start();
            long lastAck = -1;
            try
            {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8)))
                {
                    String line;
                    while ((line = out.readLine()) != null && !line.equals("started"))
                    {
                        System.out.println("writer: " + line); // log lines of the child, kept in the test output
                    }
                    assertEquals("started", line, "round " + round);
                    final long killAfterNanos = TimeUnit.MILLISECONDS.toNanos(50 + random.nextInt(400));
                    final long start = System.nanoTime();
                    while (System.nanoTime() - start < killAfterNanos && (line = out.readLine()) != null)
                    {
                        if (line.startsWith("ack "))
                        {
                            lastAck = Long.parseLong(line.substring(4));
                        }
                        else
                        {
                            System.out.println("writer: " + line);
                        }
                    }
                    writer.destroyForcibly(); // SIGKILL; acks printed after the last one read are not counted
                }
            }
            finally
            {
                writer.destroyForcibly(); // also when an assertion failed: a writer left running would fill the disk
            }
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
            acknowledged.put(session, lastAck);

            try (Store store = Store.open(dir))
            {
                for (final Map.Entry<String, Long> entry : acknowledged.entrySet())
                {
                    final BranchInfo info = store.branch(entry.getKey());
                    assertTrue(info.length() > entry.getValue(),
                        entry.getKey() + ": acknowledged step " + entry.getValue() + " but only " + info.length() + " steps");
                }
                long step = 0;
                try (EventCursor cursor = store.read(session))
                {
                    while (cursor.next())
                    {
                        assertEquals(step, cursor.event().step());
                        if (step > 0)
                        {
                            assertTrue(cursor.event().payloadAsString().startsWith("{\"n\":" + (step - 1) + ","),
                                "round " + round + " step " + step);
                        }
                        step++;
                    }
                }
                final VerifyReport report = store.verify();
                assertTrue(report.ok(), report.toString());
                store.writer(session).append(EventKind.SESSION_END, "{\"status\":\"killed\"}");
            }
        }
    }
}
