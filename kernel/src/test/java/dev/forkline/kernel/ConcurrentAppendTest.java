package dev.forkline.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

import static org.junit.jupiter.api.Assertions.*;

class ConcurrentAppendTest
{
    private static final int THREADS = 8;
    private static final int SESSIONS = 1_000;
    private static final int EVENTS_PER_THREAD = 125_000;

    @TempDir
    Path dir;

    private static String sessionId(final int n)
    {
        return "s-" + n;
    }

    private static String payload(final int thread, final int seq)
    {
        return "{\"t\":" + thread + ",\"n\":" + seq + "}";
    }

    /** Thread t's j-th append goes to this session: every session gets events from several threads. */
    private static int sessionOf(final int thread, final int seq)
    {
        return (seq * 7 + thread * 131) % SESSIONS;
    }

    @Test
    void aMillionEventsFromEightThreadsIntoAThousandSessionsReadBackExactly() throws Exception
    {
        final long[][] steps = new long[THREADS][EVENTS_PER_THREAD];
        try (Store store = Store.open(dir))
        {
            final BranchWriter[] sessions = new BranchWriter[SESSIONS];
            for (int i = 0; i < SESSIONS; i++)
            {
                sessions[i] = store.startSession(sessionId(i), (String)null);
            }
            final CyclicBarrier start = new CyclicBarrier(THREADS);
            final List<Thread> threads = new ArrayList<>();
            final List<Throwable> failures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++)
            {
                final int thread = t;
                final Thread worker = new Thread(() ->
                {
                    try
                    {
                        start.await();
                        for (int j = 0; j < EVENTS_PER_THREAD; j++)
                        {
                            steps[thread][j] = sessions[sessionOf(thread, j)].append(EventKind.EFFECT, payload(thread, j));
                        }
                    }
                    catch (final Throwable ex)
                    {
                        synchronized (failures)
                        {
                            failures.add(ex);
                        }
                    }
                });
                worker.start();
                threads.add(worker);
            }
            for (final Thread thread : threads)
            {
                thread.join();
            }
            assertEquals(List.of(), failures);
        }

        try (Store store = Store.open(dir))
        {
            assertEquals(SESSIONS, store.sessions().size());
            final String[][] read = new String[SESSIONS][];
            long total = 0;
            for (int i = 0; i < SESSIONS; i++)
            {
                final List<String> payloads = new ArrayList<>();
                try (EventCursor cursor = store.read(sessionId(i)))
                {
                    while (cursor.next())
                    {
                        assertEquals(payloads.size(), cursor.event().step());
                        payloads.add(cursor.event().payloadAsString());
                    }
                }
                read[i] = payloads.toArray(new String[0]);
                total += payloads.size() - 1;
            }
            assertEquals((long)THREADS * EVENTS_PER_THREAD, total, "every event, none twice");
            for (int t = 0; t < THREADS; t++)
            {
                long[] lastStep = new long[SESSIONS];
                for (int j = 0; j < EVENTS_PER_THREAD; j++)
                {
                    final int session = sessionOf(t, j);
                    final long step = steps[t][j];
                    assertEquals(payload(t, j), read[session][(int)step], "thread " + t + " append " + j);
                    assertTrue(step > lastStep[session], "a thread's appends to a session keep their order");
                    lastStep[session] = step;
                }
            }
        }
    }
}
