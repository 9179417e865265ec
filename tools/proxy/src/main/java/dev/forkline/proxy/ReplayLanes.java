package dev.forkline.proxy;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The threads replays run on. A replay reads its recording through a kernel cursor, which belongs to the thread
 * that opened it, while a client's requests arrive on any of the server's threads; so every call of a replaying
 * session runs on the one lane it was given, a single thread. A few lanes serve every session, so the store keeps
 * a few readers, not one per session. A session that went live (forked) needs no lane any more.
 * <p>
 * Design note: a replay answers in microseconds, so sessions share lanes at little cost; the one slow call on a
 * lane is the upstream call at the step where a replay forks.
 */
final class ReplayLanes implements AutoCloseable
{
    private final Lane[] lanes;
    private final AtomicInteger next = new AtomicInteger();

    ReplayLanes(final int count)
    {
        lanes = new Lane[count];
        for (int i = 0; i < count; i++)
        {
            lanes[i] = new Lane(i);
        }
    }

    /**
     * @return the lane of a new session, in turn.
     */
    Lane assign()
    {
        return lanes[Math.floorMod(next.getAndIncrement(), lanes.length)];
    }

    @Override
    public void close()
    {
        for (final Lane lane : lanes)
        {
            lane.executor.shutdown();
        }
    }

    /**
     * One thread that runs the calls of the sessions given to it, one at a time.
     */
    static final class Lane
    {
        private final ExecutorService executor;
        private volatile Thread thread;

        private Lane(final int index)
        {
            executor = Executors.newSingleThreadExecutor(runnable ->
            {
                final Thread created = new Thread(runnable, "forkline-proxy-replay-" + index);
                created.setDaemon(true);
                thread = created;
                return created;
            });
        }

        /**
         * Runs {@code work} on this lane and waits for it; at once when called from the lane itself.
         */
        <T> T run(final Supplier<T> work)
        {
            if (Thread.currentThread() == thread)
            {
                return work.get();
            }
            final Future<T> result = executor.submit(work::get);
            try
            {
                return result.get();
            }
            catch (final ExecutionException ex)
            {
                final Throwable cause = ex.getCause();
                if (cause instanceof RuntimeException runtime)
                {
                    throw runtime;
                }
                if (cause instanceof Error error)
                {
                    throw error;
                }
                throw new IllegalStateException(cause);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while a replay lane was busy", ex);
            }
        }

        /**
         * Runs {@code work} on this lane later, without waiting.
         */
        void submit(final Runnable work)
        {
            if (!executor.isShutdown())
            {
                executor.execute(work);
            }
        }
    }
}
