package dev.forkline.kernel;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.OffsetEpochNanoClock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A Forkline store: one directory holding the journal of every recorded event and the index over it.
 * <p>
 * One process writes a store at a time ({@link #open}); any number of processes read it, also while it
 * is written ({@link #openReadOnly}).
 * <pre>{@code
 * try (Store store = Store.open(Path.of("forkline-data"))) {
 *     BranchWriter session = store.startSession("task-42", SessionStart.of("demo"));
 *     session.append(Message.user("What is 6 x 7?"));
 *     session.end("done");
 * }
 * }</pre>
 * <h2>What a reader sees</h2>
 * An append returns once its event is in the store's append ring; the journal thread writes it to the journal
 * microseconds later, and {@link #commit()} waits for that (and, under {@link Durability#SYNC}, for the disk).
 * <ul>
 *     <li><b>In the process that writes the store</b>, every reader sees every append that returned before the
 *     reader was made, without a {@link #commit()}: the store's own queries ({@link #sessions()}, {@link #tree},
 *     {@link #branch}, {@link #event}), its cursors ({@link #read}, {@link #readJournal}), an
 *     {@link dev.forkline.kernel.export.Exporter} over it, and a read-only store of the same directory opened in
 *     this process (its queries and cursors too, as they are made). A reader that needs the journal first waits
 *     for the journal thread to write what is in the ring; nothing is forced to disk.</li>
 *     <li><b>In another process</b>, a read-only store sees what the writer's journal thread has written: an
 *     append typically microseconds after it returned, and surely once the writer's {@link #commit()} returned.
 *     It indexes new events whenever a query or a cursor reaches the end of what it has indexed, and on
 *     {@link #refresh()}.</li>
 *     <li><b>Batches</b>: the appends of a {@link Batch} ({@link #beginBatch()}) are seen by no reader, here or
 *     elsewhere, until the batch commits, and then all at once.</li>
 *     <li><b>Cursors go on</b>: {@link EventCursor#next()} and {@link JournalCursor#next()} return events appended
 *     after the cursor was made too, as soon as the journal has them; an export reads each session as it was when
 *     the export first met it.</li>
 * </ul>
 * Threading: every method may be called from any thread. Cursors belong to the thread that opened them.
 * The JVM must be started with the flags in {@code README.md}; without them {@code open} throws a
 * {@link ForklineException} that lists the missing ones.
 */
public final class Store implements AutoCloseable
{
    /** Largest payload of one event, in bytes. */
    public static final int MAX_PAYLOAD_LENGTH = 1024 * 1024;

    static
    {
        disableChronicleAnalytics();
    }

    private final Path directory;
    private final Path key;
    private final boolean readOnly;
    private final StoreLock lock;
    private final Journal journal;
    private final BranchTable branches;
    private final JournalIndexer indexer;
    private final JournalWriter writer;
    private final OffsetEpochNanoClock clock = new OffsetEpochNanoClock();
    private final ThreadLocal<ExcerptTailer> threadTailers = new ThreadLocal<>();
    private final ConcurrentLinkedQueue<ExcerptTailer> openTailers = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;
    private final Object batchLock = new Object();
    private Batch openBatch; // guarded by batchLock
    private long lastBatchId; // guarded by batchLock

    private Store(
        final Path directory,
        final boolean readOnly,
        final StoreLock lock,
        final Journal journal,
        final BranchTable branches,
        final JournalIndexer indexer,
        final JournalWriter writer)
    {
        this.directory = directory;
        this.key = InProcessWriters.key(directory);
        this.readOnly = readOnly;
        this.lock = lock;
        this.journal = journal;
        this.branches = branches;
        this.indexer = indexer;
        this.writer = writer;
    }

    /**
     * Chronicle Queue reports usage to an analytics service unless this property is set before its first
     * class initialises. Forkline never lets it: every path into Chronicle passes through here first.
     */
    static void disableChronicleAnalytics()
    {
        System.setProperty("chronicle.analytics.disable", "true");
    }

    /**
     * @return the JVM flags a process that uses the kernel must be started with (Java 17+), for launchers that
     * start one.
     */
    public static List<String> requiredJvmFlags()
    {
        return JvmFlags.REQUIRED;
    }

    /**
     * Opens (creating if needed) a store for writing, with default options.
     *
     * @throws ForklineException {@code STORE_LOCKED} when another writer has it, {@code MISSING_JVM_FLAGS},
     *                           {@code CORRUPT_JOURNAL} when a journal file was cut short, {@code IO_ERROR}.
     */
    public static Store open(final Path directory)
    {
        return open(directory, new StoreOptions());
    }

    /**
     * Opens (creating if needed, unless {@link StoreOptions#createIfMissing(boolean)} says not to) a store for writing.
     *
     * @throws ForklineException {@code STORE_LOCKED} when another writer has it, {@code MISSING_JVM_FLAGS},
     *                           {@code CORRUPT_JOURNAL} when a journal file was cut short, {@code NO_STORE} when there
     *                           is none and none is to be created, {@code IO_ERROR} (with the reason: permission
     *                           denied, a lock file that cannot be locked).
     */
    public static Store open(final Path directory, final StoreOptions options)
    {
        JvmFlags.check();
        if (!options.createIfMissing())
        {
            StoreDirectory.requireStore(directory);
        }
        try
        {
            Files.createDirectories(directory);
        }
        catch (final IOException ex)
        {
            if (Files.exists(directory) && !Files.isDirectory(directory))
            {
                throw new ForklineException(ForklineException.Reason.NO_STORE,
                    "cannot create store directory " + directory + ": it is a file");
            }
            throw ForklineException.ioError("cannot create store directory " + directory, ex);
        }
        final StoreLock lock = StoreLock.acquire(directory);
        Journal journal = null;
        try
        {
            final DiskSpace diskSpace = new DiskSpace(directory, options.minFreeDisk());
            diskSpace.check();
            final IndexSnapshot.Loaded snapshot = IndexSnapshot.load(directory);
            JournalFileCheck.requireWhole(directory, snapshot);
            journal = Journal.open(directory, false, options.durability());
            final JournalIndexer indexer = openIndex(snapshot, journal);
            final BranchTable branches = indexer.branches();
            final JournalWriter writer = new JournalWriter(
                journal, branches, options.durability(), options.ringCapacity(), diskSpace, indexer.sealedUpTo());
            if (indexer.batchOpen())
            {
                // no writer but this one can write the store: the batch was left open by one that died
                writer.abortFirst(indexer.openBatchId(), indexer.openBatchEvents());
                indexer.rollBackOpenBatch();
            }
            final Store store = new Store(directory, false, lock, journal, branches, indexer, writer);
            writer.start();
            InProcessWriters.add(store.key, writer);
            return store;
        }
        catch (final RuntimeException ex)
        {
            if (journal != null)
            {
                journal.close();
            }
            lock.close();
            throw ex;
        }
    }

    /**
     * Opens a store for reading; another process may be writing it.
     *
     * @throws ForklineException {@code NO_STORE} when the directory holds no store, {@code CORRUPT_JOURNAL} when a
     *                           journal file was cut short, {@code IO_ERROR} when it cannot be read (the message gives
     *                           the reason, such as permission denied).
     */
    public static Store openReadOnly(final Path directory)
    {
        JvmFlags.check();
        StoreDirectory.requireStore(directory);
        InProcessWriters.awaitWritten(InProcessWriters.key(directory));
        final IndexSnapshot.Loaded snapshot = IndexSnapshot.load(directory);
        JournalFileCheck.requireWhole(directory, snapshot);
        final Journal journal = Journal.open(directory, true, Durability.OS_CACHE);
        try
        {
            final JournalIndexer indexer = openIndex(snapshot, journal);
            return new Store(directory, true, null, journal, indexer.branches(), indexer, null);
        }
        catch (final RuntimeException ex)
        {
            journal.close();
            throw ex;
        }
    }

    /**
     * Uses the index snapshot, if there is a sound one for this journal, and indexes the journal after it.
     */
    private static JournalIndexer openIndex(final IndexSnapshot.Loaded snapshot, final Journal journal)
    {
        JournalIndexer indexer = null;
        if (snapshot != null && snapshot.mark() != BranchState.NO_LOCATION)
        {
            snapshot.blocks().journal(journal);
            indexer = new JournalIndexer(journal, snapshot.table());
            if (indexer.startAfter(snapshot.mark(), snapshot.markChecksum(), snapshot.events()))
            {
                indexer.sealedUpTo(snapshot.sealedMark());
            }
            else
            {
                indexer.close();
                indexer = null;
            }
        }
        if (indexer == null)
        {
            indexer = new JournalIndexer(journal, new BranchTable());
        }
        indexer.catchUp();
        return indexer;
    }

    /**
     * Starts a session whose {@code session.start} payload is {@code {}} (no agent, model, tools or tags).
     *
     * @param sessionId the id, matching {@code [A-Za-z0-9._:-]{1,128}}; null to generate a time-ordered one.
     * @return a writer for the session's root branch.
     * @throws IllegalArgumentException when the id is malformed or the session exists already.
     */
    public BranchWriter startSession(final String sessionId)
    {
        return startSession(sessionId, (CharSequence)null);
    }

    /**
     * Starts a session: creates its root branch and appends {@code session.start} at step 0.
     *
     * @param sessionId  the id, matching {@code [A-Za-z0-9._:-]{1,128}}; null to generate a time-ordered one.
     * @param startJson  the {@code session.start} payload ({@code {"agent","model","tools","tags"}}); null for {@code {}}.
     * @return a writer for the session's root branch.
     * @throws IllegalArgumentException when the id is malformed or the session exists already.
     */
    public BranchWriter startSession(final String sessionId, final CharSequence startJson)
    {
        return startSession(sessionId, startJson, nowNanos());
    }

    /**
     * Starts a session: creates its root branch and appends {@code session.start} at step 0.
     *
     * @param sessionId the id, matching {@code [A-Za-z0-9._:-]{1,128}}; null to generate a time-ordered one.
     * @param start     the {@code session.start} event: a {@code dev.forkline.kernel.replay.SessionStart}.
     * @return a writer for the session's root branch.
     * @throws IllegalArgumentException when the id is malformed, the session exists already, or {@code start} is not
     *                                  a {@code session.start}.
     */
    public BranchWriter startSession(final String sessionId, final TypedEvent start)
    {
        return startSession(sessionId, startJson(start));
    }

    /**
     * @return the payload of a typed {@code session.start}.
     * @throws IllegalArgumentException when {@code start} is not a {@code session.start}.
     */
    static String startJson(final TypedEvent start)
    {
        if (start == null || start.kind() != EventKind.SESSION_START)
        {
            throw new IllegalArgumentException("a session starts with a session.start event, not " +
                (start == null ? "null" : start.kind().wireName()));
        }
        return start.toJson();
    }

    /**
     * Starts a session with a given timestamp for its {@code session.start} event (for importers).
     */
    public BranchWriter startSession(final String sessionId, final CharSequence startJson, final long timestampNanos)
    {
        return startSession(sessionId, startJson, timestampNanos, null);
    }

    /**
     * @param batch the batch the session is started in (its monitor held), or null.
     */
    BranchWriter startSession(final String sessionId, final CharSequence startJson, final long timestampNanos, final Batch batch)
    {
        checkWritable();
        final String id = sessionId == null ? SessionIds.newUlid() : SessionIds.validate(sessionId);
        final BranchState state = branches.newRoot(id, batch);
        if (batch != null)
        {
            batch.add(state);
        }
        final BranchWriter branchWriter = new BranchWriter(this, state, writer, batch);
        branchWriter.appendInternal(EventKind.SESSION_START, startJson == null ? "{}" : startJson, timestampNanos);
        return branchWriter;
    }

    /**
     * Forks {@code branch} at {@code step}: creates branch {@code <session>/<n>} whose steps {@code 0..step-1}
     * are the parent's and whose own events start at {@code step}. Copies nothing; writes one {@code fork}
     * event, so its cost does not grow with the prefix.
     *
     * @param step   from 0 (share nothing) to the parent's head (share everything).
     * @param reason why, kept in the {@code fork} event; may be null.
     * @return a writer for the new branch.
     * @throws ForklineException {@code UNKNOWN_BRANCH}, or {@code STEP_OUT_OF_RANGE} past the parent's head.
     */
    public BranchWriter fork(final String branch, final long step, final String reason)
    {
        return fork(branch, step, reason, nowNanos());
    }

    /**
     * Forks with a given timestamp for the {@code fork} event (for importers).
     */
    public BranchWriter fork(final String branch, final long step, final String reason, final long timestampNanos)
    {
        return fork(branch, step, reason, timestampNanos, null);
    }

    /**
     * @param batch the batch the fork is made in (its monitor held), or null.
     */
    BranchWriter fork(final String branch, final long step, final String reason, final long timestampNanos, final Batch batch)
    {
        checkWritable();
        final BranchState parent = batch == null ? state(branch) : batchState(branch);
        if (step < 0)
        {
            throw new IllegalArgumentException("fork step must not be negative: " + step);
        }
        final long head;
        synchronized (parent)
        {
            // outside the batch that appends to the parent, only the parent's committed steps can be forked
            head = parent.batch == batch ? parent.nextStep : parent.committedNextStep();
        }
        if (step > head)
        {
            throw new ForklineException(ForklineException.Reason.STEP_OUT_OF_RANGE,
                "cannot fork " + branch + "@" + step + ": the branch has " + head + " steps (fork at 0.." + head + ")");
        }
        final BranchState child = branches.newFork(parent, step, batch);
        if (batch != null)
        {
            batch.add(child);
        }
        final BranchWriter branchWriter = new BranchWriter(this, child, writer, batch);
        branchWriter.appendInternal(EventKind.FORK,
            "{\"parent\":" + Json.quote(parent.name) + ",\"at\":" + step + ",\"reason\":" + Json.quote(reason) + "}",
            timestampNanos);
        return branchWriter;
    }

    /**
     * @return a writer that appends to an existing branch (an outcome after the end, say).
     * @throws ForklineException {@code UNKNOWN_BRANCH}.
     */
    public BranchWriter writer(final String branch)
    {
        return writer(branch, null);
    }

    /**
     * @param batch the batch the writer appends in (its monitor held), or null; a committed branch is taken for it.
     */
    BranchWriter writer(final String branch, final Batch batch)
    {
        checkWritable();
        if (batch == null)
        {
            return new BranchWriter(this, state(branch), writer, null);
        }
        final BranchState state = batchState(branch);
        synchronized (state)
        {
            if (state.batch == null)
            {
                state.batch = batch;
                state.batchFirstStep = state.nextStep;
                batch.add(state);
            }
        }
        return new BranchWriter(this, state, writer, batch);
    }

    /**
     * Begins a batch: appends made through its writers are readable all at once when it commits, or never (see
     * {@link Batch} for the rules). One batch at a time per store.
     *
     * @throws IllegalStateException when a batch of this store is open.
     * @throws ForklineException     {@code READ_ONLY}, {@code STORE_CLOSED}.
     */
    public Batch beginBatch()
    {
        checkWritable();
        synchronized (batchLock)
        {
            if (openBatch != null)
            {
                throw new IllegalStateException("a batch of store " + directory + " is open already (one at a time)");
            }
            lastBatchId = Math.max(nowNanos(), lastBatchId + 1);
            final Batch batch = new Batch(this, lastBatchId);
            writer.beginBatch(batch);
            openBatch = batch;
            return batch;
        }
    }

    void endBatch(final Batch batch, final boolean commit)
    {
        writer.endBatch(commit);
    }

    /**
     * @param endWritten false when the journal thread never got to the end of the batch (it failed): what the batch
     *                   registered is dropped here, and the journal keeps the batch open for the next writer to roll back.
     */
    void batchEnded(final Batch batch, final boolean endWritten)
    {
        if (!endWritten)
        {
            branches.dropPending();
        }
        synchronized (batchLock)
        {
            if (openBatch == batch)
            {
                openBatch = null;
            }
        }
    }

    /**
     * @return a branch of the open batch or a committed one, by name.
     */
    private BranchState batchState(final String name)
    {
        final BranchState pending = name == null ? null : branches.pendingByName(name);
        return pending != null ? pending : state(name);
    }

    /**
     * @return the session ids, in the order they were started.
     */
    public List<String> sessions()
    {
        refreshIfReading();
        final List<String> sessions = new ArrayList<>();
        for (final BranchState root : branches.roots())
        {
            sessions.add(root.name);
        }
        return sessions;
    }

    /**
     * The fork tree of a session: each branch with its parent, fork step, length and latest outcome.
     *
     * @return the branches of a session, root first, in creation order (a parent before its forks).
     * @throws ForklineException {@code UNKNOWN_BRANCH} when there is no such session.
     */
    public List<BranchInfo> tree(final String session)
    {
        refreshIfReading();
        final BranchState root = state(session);
        if (!root.isRoot())
        {
            throw unknown(session, "session");
        }
        final List<BranchInfo> infos = new ArrayList<>();
        for (final BranchState branch : branches.ofSession(session))
        {
            infos.add(info(branch));
        }
        return infos;
    }

    /**
     * The fork tree of a session as {@link #tree} gives it, but without reading outcomes (every
     * {@link BranchInfo#outcome()} is null) and without first looking for new events in a read-only store: for
     * callers that walk many sessions and read the events themselves, such as an export.
     *
     * @throws ForklineException {@code UNKNOWN_BRANCH} when there is no such session.
     */
    public List<BranchInfo> treeShape(final String session)
    {
        final BranchState root = state(session);
        if (!root.isRoot())
        {
            throw unknown(session, "session");
        }
        final List<BranchInfo> infos = new ArrayList<>();
        for (final BranchState branch : branches.ofSession(session))
        {
            settle(branch);
            infos.add(new BranchInfo(branch.name, branch.session, branch.parent == null ? null : branch.parent.name,
                branch.forkStep, branch.length(), branch.lastTimestampNanos(), null));
        }
        return infos;
    }

    /**
     * @return what the store knows about a branch.
     * @throws ForklineException {@code UNKNOWN_BRANCH}.
     */
    public BranchInfo branch(final String name)
    {
        refreshIfReading();
        return info(state(name));
    }

    /**
     * Reads a branch from its first step.
     *
     * @throws ForklineException {@code UNKNOWN_BRANCH}.
     */
    public EventCursor read(final String branch)
    {
        return read(branch, 0);
    }

    /**
     * Reads a branch from {@code fromStep} on.
     *
     * @throws ForklineException {@code UNKNOWN_BRANCH}.
     */
    public EventCursor read(final String branch, final long fromStep)
    {
        if (fromStep < 0)
        {
            throw new IllegalArgumentException("step must not be negative: " + fromStep);
        }
        final BranchState state = state(branch);
        return new EventCursor(this, state, tailer(), branches, fromStep, Long.MAX_VALUE);
    }

    /**
     * Reads every record of the journal in the order it was written, from the start (the events of a batch at its
     * commit record, see {@link JournalCursor}).
     */
    public JournalCursor readJournal()
    {
        checkOpen();
        awaitAppends();
        return new JournalCursor(this, tailer(), branches);
    }

    /**
     * Checks every record of the journal against its checksum and the index against the journal. In a writing
     * store, everything appended before the call is written first.
     *
     * @return what was found; {@link VerifyReport#ok()} when nothing is wrong.
     */
    public VerifyReport verify()
    {
        return StoreVerifier.verify(this, journal, branches);
    }

    /**
     * Verifies the store in {@code directory} without opening it for use; this also works on a store that does not
     * open because a journal file was cut short ({@code CORRUPT_JOURNAL}). A store whose journal files are whole is
     * opened read-only and checked as {@link #verify()} does. Otherwise the journal files are read directly, never
     * mapped: every event before a cut is checked, and each cut is a {@link VerifyReport.Damage} at the first record
     * it reaches into, naming the file, how many events were lost and the last event before the cut; the steps the
     * index snapshot locates past a cut are {@link VerifyReport#indexProblems()}, and their sessions are among
     * {@link VerifyReport#affectedSessions()}. Nothing is written.
     *
     * @throws ForklineException {@code NO_STORE} when the directory holds no store, {@code IO_ERROR}.
     */
    public static VerifyReport verify(final Path directory)
    {
        StoreDirectory.requireStore(directory);
        final List<JournalFileCheck.Cut> cuts = JournalFileCheck.find(directory);
        if (!cuts.isEmpty())
        {
            return CutJournalVerifier.verify(directory, cuts);
        }
        try (Store store = openReadOnly(directory))
        {
            return store.verify();
        }
    }

    /**
     * Copies every sound event of a damaged store into a new store, in the order they were written: the same
     * sessions and branch names, steps, kinds, flags, timestamps and payloads, and every fork recreated at its step.
     * Works on a store that does not open because a journal file was cut short ({@code CORRUPT_JOURNAL}) as on one
     * that opens: the journal files are read directly, never mapped, and never written.
     * <p>
     * An event keeps its step or is not copied. So when steps of a branch are missing (a damaged record, or a cut in
     * an earlier journal file), the copy of the branch ends before them and its later events are dropped; a fork
     * whose parent was not copied up to its fork step is dropped with its events and its own forks. The report
     * names all of it, and what the damaged store lost, as {@link #verify(Path)} does.
     * <p>
     * The new store is written into a hidden directory next to {@code target}, forced to disk, then renamed to
     * {@code target}: on a failure nothing is written to {@code target}. Its hash chain is computed afresh as the
     * events are written, so it vouches for the copy, not for the original recording. While the salvage runs, no
     * writer can open the damaged store.
     *
     * @param damaged the store to copy from.
     * @param target  a directory that does not exist or is empty, outside the damaged store.
     * @return what was copied and what was not.
     * @throws IllegalArgumentException when {@code target} is not an empty directory or lies inside {@code damaged}.
     * @throws ForklineException        {@code NO_STORE}, {@code STORE_LOCKED} while a writer has the damaged store,
     *                                  {@code MISSING_JVM_FLAGS}, {@code IO_ERROR} or {@code DISK_FULL} while writing.
     */
    public static SalvageReport salvage(final Path damaged, final Path target)
    {
        return StoreSalvage.salvage(damaged, target);
    }

    /**
     * Checks every branch's hash chain against the seals in the journal: an event changed, removed or reordered
     * after it was sealed is named. Events are sealed when the journal thread pauses and when the store closes.
     *
     * @return what was found, with each branch's chain head.
     */
    public ChainReport verifyChain()
    {
        checkOpen();
        return ChainVerifier.verify(this, journal, branches);
    }

    /**
     * @return a copy of the event at {@code step} of {@code branch} (an ancestor's, for a shared prefix).
     * @throws ForklineException {@code UNKNOWN_BRANCH}, {@code STEP_OUT_OF_RANGE}, {@code CORRUPT_EVENT}.
     */
    public Event event(final String branch, final long step)
    {
        final BranchState state = state(branch);
        if (step < 0)
        {
            throw new IllegalArgumentException("step must not be negative: " + step);
        }
        final BranchState owner = state.owner(step);
        if (step >= owner.length() && !awaitStep(owner, step))
        {
            throw new ForklineException(ForklineException.Reason.STEP_OUT_OF_RANGE,
                "step " + step + " is past the head of " + branch + " (" + state.length() + " steps)");
        }
        final long location = owner.ownLocation(step);
        if (location == BranchState.NO_LOCATION)
        {
            throw new ForklineException(ForklineException.Reason.CORRUPT_EVENT,
                "corrupt event " + branch + "@" + step + ": event is missing from the journal (a damaged record was skipped)");
        }
        final Event event = eventAt(location, owner, step);
        if (event == null)
        {
            throw new ForklineException(ForklineException.Reason.CORRUPT_EVENT, "corrupt event " + branch + "@" + step +
                " (journal index 0x" + Long.toHexString(location) + "): journal has no record at this index");
        }
        return event;
    }

    /**
     * @return a copy of the {@code fork} event that created {@code branch}, or null for a root branch.
     * @throws ForklineException {@code UNKNOWN_BRANCH}.
     */
    public Event forkEvent(final String branch)
    {
        final BranchState state = state(branch);
        if (state.isRoot())
        {
            return null;
        }
        if (state.forkEventLocation() == BranchState.NO_LOCATION)
        {
            awaitAppends(); // created by this process and still in the ring
        }
        return eventAt(state.forkEventLocation());
    }

    /**
     * Compares two branches step by step (kind and payload; timestamps are ignored).
     *
     * @param maxDifferences how many differing steps to return at most.
     * @throws ForklineException {@code UNKNOWN_BRANCH}.
     */
    public BranchDiff diff(final String a, final String b, final int maxDifferences)
    {
        return BranchDiff.compute(this, state(a), state(b), maxDifferences);
    }

    /**
     * Waits until everything appended before the call is in the journal (and on disk under
     * {@link Durability#SYNC}).
     */
    public void commit()
    {
        checkWritable();
        writer.commit();
    }

    /**
     * In a read-only store, indexes what the writing process appended since the last look. Reads call it
     * on their own; it is public for followers that poll.
     *
     * @return the number of new events.
     */
    public int refresh()
    {
        checkOpen();
        return readOnly ? catchUp() : 0;
    }

    /**
     * @return the store directory.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * @return true when opened with {@link #openReadOnly}.
     */
    public boolean isReadOnly()
    {
        return readOnly;
    }

    /**
     * Writes everything appended before the call, stops the journal thread and releases the store.
     * Appending afterwards throws {@link ForklineException} with reason {@code STORE_CLOSED}.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (writer != null)
        {
            InProcessWriters.remove(key, writer);
        }
        try
        {
            if (writer != null)
            {
                // Every append checks 'closed' under its branch's monitor; passing each monitor once means
                // every append that saw the store open has put its event in the ring before the stop.
                for (final BranchState branch : branches.all())
                {
                    branch.awaitAppendInProgress();
                }
                for (final BranchState branch : branches.pendingBranches())
                {
                    branch.awaitAppendInProgress();
                }
                final Batch batch;
                synchronized (batchLock)
                {
                    batch = openBatch;
                }
                if (batch != null)
                {
                    batch.abort(); // a batch open at close is rolled back
                }
                writer.stop();
                writeSnapshot();
            }
            indexer.close();
        }
        finally
        {
            for (final ExcerptTailer tailer : openTailers)
            {
                tailer.singleThreadedCheckReset();
                tailer.close();
            }
            journal.close();
            if (lock != null)
            {
                lock.close();
            }
        }
    }

    private void writeSnapshot()
    {
        final boolean wrote = writer.lastLocation() != BranchState.NO_LOCATION;
        final long mark = wrote ? writer.lastLocation() : indexer.lastLocation();
        final boolean sealed = writer.sealedUpTo() != indexer.sealedUpTo();
        if (mark == BranchState.NO_LOCATION || (!wrote && !sealed && indexer.indexedThisRun() == 0))
        {
            return;
        }
        try
        {
            IndexSnapshot.write(directory, branches, mark, wrote ? writer.lastChecksum() : indexer.lastChecksum(),
                indexer.events() + writer.eventsWritten(), writer.sealedUpTo(), JournalFileCheck.end(directory));
        }
        catch (final IOException ex)
        {
            throw new ForklineException(ForklineException.Reason.IO_ERROR,
                "cannot write index snapshot in " + directory + ": " + ex.getMessage(), ex);
        }
    }

    JournalIndexer indexer()
    {
        return indexer;
    }

    long nowNanos()
    {
        return clock.nanoTime();
    }

    byte[] keyBytes(final String name)
    {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    void checkWritable()
    {
        if (readOnly)
        {
            throw new ForklineException(ForklineException.Reason.READ_ONLY, "store " + directory + " is open read-only");
        }
        checkOpen();
        writer.checkHealthy();
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new ForklineException(ForklineException.Reason.STORE_CLOSED, "store " + directory + " is closed");
        }
    }

    /**
     * Called by a cursor that reached the indexed end of a branch.
     *
     * @return true when {@code step} of the branch is now readable.
     */
    boolean awaitStep(final BranchState branch, final long step)
    {
        checkOpen();
        if (readOnly)
        {
            catchUp();
            return step < branch.length();
        }
        final long assigned;
        synchronized (branch)
        {
            assigned = branch.committedNextStep(); // the steps of an open batch are not readable
        }
        if (step >= assigned)
        {
            return false;
        }
        // appended but still in the ring: wait for the journal thread, which is never long
        final IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 100_000);
        while (step >= branch.length())
        {
            writer.checkHealthy();
            checkOpen();
            idle.idle();
        }
        return true;
    }

    /**
     * In a writing store, waits until every event appended to the branch so far is indexed.
     */
    void settle(final BranchState branch)
    {
        if (!readOnly)
        {
            final long assigned;
            synchronized (branch)
            {
                assigned = branch.committedNextStep();
            }
            if (assigned > branch.length())
            {
                awaitStep(branch, assigned - 1);
            }
        }
    }

    BranchState state(final String name)
    {
        checkOpen();
        if (name == null)
        {
            throw new IllegalArgumentException("branch name must not be null");
        }
        BranchState state = branches.byName(name);
        if (state == null && readOnly)
        {
            catchUp();
            state = branches.byName(name);
        }
        if (state == null)
        {
            throw unknown(name, name.indexOf('/') < 0 ? "session" : "branch");
        }
        return state;
    }

    private static ForklineException unknown(final String name, final String what)
    {
        return new ForklineException(ForklineException.Reason.UNKNOWN_BRANCH, "unknown " + what + " '" + name + "'");
    }

    private void refreshIfReading()
    {
        checkOpen();
        if (readOnly)
        {
            catchUp();
        }
    }

    /**
     * A read-only store indexes what is new in the journal, after any writing store of this directory in this
     * process has written what was appended to it so far.
     */
    private int catchUp()
    {
        InProcessWriters.awaitWritten(key);
        return indexer.catchUp();
    }

    /**
     * Makes every append that returned before the call readable from the journal: in a writing store, waits for its
     * journal thread to write what is in the ring (no msync); in a read-only store, for that of a writing store of
     * the same directory in this process, if there is one.
     */
    private void awaitAppends()
    {
        if (writer != null)
        {
            InProcessWriters.awaitWritten(writer);
        }
        else
        {
            InProcessWriters.awaitWritten(key);
        }
    }

    ExcerptTailer tailer()
    {
        return journal.createTailer();
    }

    /**
     * For a reader of this store's own journal that read the commit record of batch {@code batchId}: waits until the
     * journal thread has made the batch readable, which it does right after writing the record.
     */
    void awaitBatchEnd(final long batchId)
    {
        final Batch batch;
        synchronized (batchLock)
        {
            batch = openBatch;
        }
        if (batch != null && batch.id() == batchId)
        {
            final IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 100_000);
            while (!batch.isEnded() && writer.isRunning())
            {
                idle.idle();
            }
        }
    }

    private BranchInfo info(final BranchState branch)
    {
        settle(branch);
        return new BranchInfo(
            branch.name,
            branch.session,
            branch.parent == null ? null : branch.parent.name,
            branch.forkStep,
            branch.length(),
            branch.lastTimestampNanos(),
            payloadAt(branch.outcomeLocation()));
    }

    private String payloadAt(final long location)
    {
        final Event event = eventAt(location);
        return event == null ? null : event.payloadAsString();
    }

    /**
     * @return a copy of the event at a journal index, or null for {@link BranchState#NO_LOCATION}.
     */
    Event eventAt(final long location)
    {
        return eventAt(location, null, -1);
    }

    /**
     * @param owner the branch whose own event at {@code step} should be at {@code location}; null for any event.
     * @return a copy of the event at a journal index, or null for {@link BranchState#NO_LOCATION}.
     */
    private Event eventAt(final long location, final BranchState owner, final long step)
    {
        if (location == BranchState.NO_LOCATION)
        {
            return null;
        }
        final ExcerptTailer tailer = threadTailer();
        try
        {
            return readAt(tailer, location, owner, step);
        }
        catch (final InternalError fault)
        {
            throw new ForklineException(ForklineException.Reason.CORRUPT_EVENT,
                "corrupt event (journal index 0x" + Long.toHexString(location) + "): " + JournalBounds.fault(fault));
        }
    }

    private Event readAt(final ExcerptTailer tailer, final long location, final BranchState owner, final long step)
    {
        if (!tailer.moveToIndex(location))
        {
            return null;
        }
        try (DocumentContext dc = tailer.readingDocument())
        {
            if (!dc.isPresent())
            {
                return null;
            }
            final EventView view = new EventView(branches);
            final String damage = view.wrap(dc, location);
            final String problem = damage != null || owner == null ? damage : view.expect(owner, step);
            if (problem != null)
            {
                final BranchState branch = branches.byId(view.branchIdIfPresent());
                throw new ForklineException(ForklineException.Reason.CORRUPT_EVENT, "corrupt event " +
                    (branch == null ? "" : branch.name + "@" + view.step() + " ") +
                    "(journal index 0x" + Long.toHexString(location) + "): " + problem);
            }
            return view.toEvent();
        }
    }

    /**
     * @return this thread's tailer for single reads: a new tailer per read would list the journal directory,
     * map a file and search Chronicle's index every time.
     */
    private ExcerptTailer threadTailer()
    {
        ExcerptTailer tailer = threadTailers.get();
        if (tailer == null)
        {
            tailer = journal.createTailer();
            threadTailers.set(tailer);
            openTailers.add(tailer);
        }
        return tailer;
    }
}
