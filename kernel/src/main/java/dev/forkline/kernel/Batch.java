package dev.forkline.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * Appends that readers see all at once, when the batch commits, or never: an import, or any events that must not be
 * seen in part. Obtained from {@link Store#beginBatch()}.
 * <pre>{@code
 * try (Batch batch = store.beginBatch()) {
 *     BranchWriter session = batch.startSession("task-42", null);
 *     session.append(EventKind.USER, "{\"content\":\"hi\"}");
 *     BranchWriter fork = batch.fork("task-42", 1, "retry");
 *     fork.append(EventKind.USER, "{\"content\":\"hello\"}");
 *     batch.commit();
 * } // closed without commit(): rolled back
 * }</pre>
 * The rules:
 * <ul>
 * <li>One batch at a time per store: {@link Store#beginBatch()} refuses while one is open.</li>
 * <li>The batch's appends are those made through the writers it returns ({@link #startSession}, {@link #fork},
 * {@link #writer}), from any thread. Appends through other writers are not the batch's and go on as usual while it
 * is open; they are readable at once, as always.</li>
 * <li>A branch the batch appends to is the batch's until it ends: other writers cannot append to it, and a fork made
 * outside the batch takes only its committed steps. A branch the batch creates does not exist for anyone else
 * until the commit: its session id is taken, but no reader finds it.</li>
 * <li>Nothing the batch wrote is readable before {@link #commit()} returns: not through this store (not even by
 * the thread that writes the batch), not through a store that another process opened read-only, not in
 * {@link Store#readJournal()}. Once it returns, everything is.</li>
 * <li>{@link #close()} without {@link #commit()}, {@link #abort()}, closing the store, a failed commit, or a crash of
 * the process roll the batch back: its events stay in the journal but are never read, and the session ids it took
 * are free again (after a crash, once the store is opened for writing again).</li>
 * </ul>
 * A batch may be of any size: each append goes to the journal as it is made, as any append does, and until the commit
 * the store keeps no more of the batch than it keeps of any event (its location, eight bytes).
 * <p>
 * Threading: every method may be called from any thread.
 */
public final class Batch implements AutoCloseable
{
    static final int COMMITTED = 1;
    static final int ROLLED_BACK = 2;

    private final Store store;
    private final long id;
    private final List<BranchState> branches = new ArrayList<>(); // guarded by this: created or taken by the batch
    private boolean ended; // guarded by this
    private volatile boolean closed; // no append through the batch is accepted any more
    private volatile int outcome; // set by the journal thread when it has written the end of the batch

    Batch(final Store store, final long id)
    {
        this.store = store;
        this.id = id;
    }

    /**
     * Starts a session in the batch whose {@code session.start} payload is {@code {}}: as {@link Store#startSession(String)}.
     *
     * @throws IllegalArgumentException when the id is malformed or the session exists (or another batch writes it).
     * @throws IllegalStateException    when the batch has ended.
     */
    public BranchWriter startSession(final String sessionId)
    {
        return startSession(sessionId, (CharSequence)null);
    }

    /**
     * Starts a session in the batch: as {@link Store#startSession(String, CharSequence)}.
     *
     * @throws IllegalArgumentException when the id is malformed or the session exists (or another batch writes it).
     * @throws IllegalStateException    when the batch has ended.
     */
    public BranchWriter startSession(final String sessionId, final CharSequence startJson)
    {
        return startSession(sessionId, startJson, store.nowNanos());
    }

    /**
     * Starts a session in the batch with a typed {@code session.start}: as {@link Store#startSession(String, TypedEvent)}.
     *
     * @throws IllegalArgumentException when the id is malformed, the session exists (or another batch writes it), or
     *                                  {@code start} is not a {@code session.start}.
     * @throws IllegalStateException    when the batch has ended.
     */
    public BranchWriter startSession(final String sessionId, final TypedEvent start)
    {
        return startSession(sessionId, Store.startJson(start));
    }

    /**
     * Starts a session in the batch with a given timestamp for its {@code session.start} event (for importers).
     */
    public synchronized BranchWriter startSession(final String sessionId, final CharSequence startJson, final long timestampNanos)
    {
        checkOpen();
        return store.startSession(sessionId, startJson, timestampNanos, this);
    }

    /**
     * Forks in the batch: as {@link Store#fork(String, long, String)}; {@code branch} may be one the batch created.
     *
     * @throws IllegalStateException when the batch has ended.
     */
    public BranchWriter fork(final String branch, final long step, final String reason)
    {
        return fork(branch, step, reason, store.nowNanos());
    }

    /**
     * Forks in the batch with a given timestamp for the {@code fork} event (for importers).
     */
    public synchronized BranchWriter fork(final String branch, final long step, final String reason, final long timestampNanos)
    {
        checkOpen();
        return store.fork(branch, step, reason, timestampNanos, this);
    }

    /**
     * @return a writer whose appends to {@code branch} are the batch's; a committed branch is the batch's from now
     * until it ends (other writers cannot append to it meanwhile).
     * @throws ForklineException     {@code UNKNOWN_BRANCH}.
     * @throws IllegalStateException when the batch has ended.
     */
    public synchronized BranchWriter writer(final String branch)
    {
        checkOpen();
        return store.writer(branch, this);
    }

    /**
     * Makes everything the batch appended readable at once, and returns when it is in the journal (and on disk under
     * {@link Durability#SYNC}). Every append through the batch must have returned before.
     *
     * @throws IllegalStateException when the batch has ended (committed, or rolled back).
     * @throws ForklineException     {@code DISK_FULL} or {@code IO_ERROR} when the journal failed: the batch is then
     *                               rolled back.
     */
    public void commit()
    {
        end(true);
    }

    /**
     * Rolls the batch back: nothing it appended is ever readable, and the session ids it took are free again. Does
     * nothing when the batch has ended. Never fails for a journal that cannot be written any more: the batch then
     * stays open in the journal, where no reader counts it, and the next writer of the store writes its abort.
     */
    public void abort()
    {
        end(false);
    }

    /**
     * Rolls the batch back unless it was committed: as {@link #abort()}.
     */
    @Override
    public void close()
    {
        end(false);
    }

    long id()
    {
        return id;
    }

    /**
     * Called with the batch's monitor held by the store methods that create or take a branch for it.
     */
    void add(final BranchState branch)
    {
        branches.add(branch);
    }

    boolean isClosed()
    {
        return closed;
    }

    /**
     * @return true once the journal thread has written the end of the batch and the index knows.
     */
    boolean isEnded()
    {
        return outcome != 0;
    }

    /**
     * Called by the journal thread once the end of the batch is written and the index knows.
     */
    void outcome(final int outcome)
    {
        this.outcome = outcome;
    }

    private void checkOpen()
    {
        if (ended)
        {
            throw new IllegalStateException("the batch has ended (committed or rolled back)");
        }
    }

    private void end(final boolean commit)
    {
        final List<BranchState> touched;
        synchronized (this)
        {
            if (ended)
            {
                if (commit)
                {
                    throw new IllegalStateException(outcome == COMMITTED ? "the batch is committed already" :
                        "the batch was rolled back; it cannot be committed");
                }
                return;
            }
            ended = true;
            closed = true;
            touched = List.copyOf(branches);
        }
        for (final BranchState branch : touched)
        {
            branch.awaitAppendInProgress(); // every append that saw the batch open has its record in the ring
        }
        try
        {
            store.endBatch(this, commit);
        }
        catch (final ForklineException ex)
        {
            if (commit)
            {
                throw ex;
            }
            // an abort the journal cannot take: the batch stays open there, which no reader counts, until the next
            // writer of the store writes its abort
        }
        finally
        {
            final boolean committed = outcome == COMMITTED;
            for (final BranchState branch : touched)
            {
                synchronized (branch)
                {
                    if (branch.batch == this)
                    {
                        if (!committed)
                        {
                            branch.nextStep = branch.batchFirstStep;
                        }
                        branch.batch = null;
                    }
                }
            }
            store.batchEnded(this, outcome != 0);
        }
    }
}
