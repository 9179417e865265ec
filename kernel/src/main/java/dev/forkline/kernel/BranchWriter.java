package dev.forkline.kernel;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static dev.forkline.kernel.EventHeaderDescriptor.HEADER_LENGTH;

/**
 * Appends events to one branch. Obtained from {@link Store#startSession}, {@link Store#fork} or
 * {@link Store#writer}.
 * <p>
 * Every append copies the payload once into the store's append ring and returns the event's step; the
 * journal thread writes it to disk later, so the calling thread never waits for the disk (unless the ring
 * is full, or it asks to {@link #commit()}).
 * <p>
 * A writer that a {@link Batch} returned appends in that batch: its appends are readable only once the batch commits,
 * and it refuses to append once the batch has ended. Other writers refuse to append to a branch while an open batch
 * appends to it.
 * <p>
 * Threading: any number of threads may append to the same branch; each append takes the next step
 * atomically, and steps reach the journal in step order.
 */
public final class BranchWriter
{
    private final Store store;
    private final BranchState state;
    private final JournalWriter journal;
    private final Batch batch;
    private final int batchFlag;
    private final EventHeader header = new EventHeader();
    private final UnsafeBuffer wrapped = new UnsafeBuffer(0, 0);

    BranchWriter(final Store store, final BranchState state, final JournalWriter journal, final Batch batch)
    {
        this.store = store;
        this.state = state;
        this.journal = journal;
        this.batch = batch;
        this.batchFlag = batch == null ? 0 : BatchRecordDescriptor.EVENT_FLAG;
    }

    /**
     * @return the branch this writer appends to.
     */
    public String branch()
    {
        return state.name;
    }

    /**
     * @return the session of the branch.
     */
    public String session()
    {
        return state.session;
    }

    /**
     * @return the step the next append takes.
     */
    public long nextStep()
    {
        synchronized (state)
        {
            return state.nextStep;
        }
    }

    /**
     * Appends a typed event, timestamped now: its fields were checked when it was made, and it writes the payload
     * the kernel reads. {@code outcome} and {@code annotation} payloads are checked as {@link #append(EventKind,
     * CharSequence)} checks them.
     *
     * @return the event's step.
     * @throws IllegalArgumentException as {@link #append(EventKind, CharSequence)}, and for a {@code session.start}
     *                                  (see {@link Store#startSession(String, TypedEvent)}).
     * @throws ForklineException        {@code STORE_CLOSED} after the store was closed.
     */
    public long append(final TypedEvent event)
    {
        if (event == null)
        {
            throw new IllegalArgumentException("event must not be null");
        }
        return append(event.kind(), event.toJson());
    }

    /**
     * Appends an event with a JSON (or any UTF-8 text) payload, timestamped now: for kinds whose payload the kernel
     * does not interpret, or written by hand. An {@code outcome} or {@code annotation} payload is checked first,
     * because the exporter would misread a malformed one silently (an outcome {@code "reward=1"} would give no
     * reward): it must be a JSON object whose {@code reward} is a finite number or null, whose {@code label} is a
     * string (for an annotation {@code "good"} or {@code "bad"}), and an annotation's {@code step} an earlier step
     * of this branch. Other kinds are not checked. The overloads with flags and a timestamp copy any payload as it
     * is, for importers.
     *
     * @return the event's step.
     * @throws IllegalArgumentException when the kind is one the store writes itself, the payload is over
     *                                  {@link Store#MAX_PAYLOAD_LENGTH}, or an outcome or annotation is malformed
     *                                  (the message names the field).
     * @throws ForklineException        {@code STORE_CLOSED} after the store was closed.
     */
    public long append(final EventKind kind, final CharSequence json)
    {
        if (kind == EventKind.OUTCOME || kind == EventKind.ANNOTATION)
        {
            JudgementCheck.check(kind, json, nextStep());
        }
        return append(kind, 0, store.nowNanos(), json);
    }

    /**
     * Appends an event with an opaque payload, timestamped now.
     *
     * @return the event's step.
     */
    public long append(final EventKind kind, final byte[] payload)
    {
        synchronized (state)
        {
            wrapped.wrap(payload);
            return append(kind, 0, store.nowNanos(), wrapped, 0, payload.length);
        }
    }

    /**
     * Appends an event with a JSON payload, with flags and a given timestamp (an importer keeps the
     * time the event happened).
     *
     * @param flags          see {@link EventFlags}; {@link EventFlags#COMMIT} makes the append a commit point. Bit 2
     *                       is the store's own (it marks the events of a batch) and is ignored.
     * @param timestampNanos nanoseconds since the epoch.
     * @return the event's step.
     * @throws IllegalStateException when an open batch appends to the branch and this writer is not the batch's, or
     *                               this writer's batch has ended.
     */
    public long append(final EventKind kind, final int flags, final long timestampNanos, final CharSequence json)
    {
        checkKind(kind);
        final int payloadLength = Utf8.encodedLength(json);
        checkLength(payloadLength);
        final long step;
        synchronized (state)
        {
            step = state.nextStep;
            final int index = claim(kind, flags, timestampNanos, step, -1, null, payloadLength);
            Utf8.encode(json, journal.buffer(), index + HEADER_LENGTH);
            journal.publish(index);
            state.nextStep = step + 1;
        }
        if ((flags & EventFlags.COMMIT) != 0)
        {
            journal.commit();
        }
        return step;
    }

    /**
     * Appends an event whose payload is {@code length} bytes of {@code buffer} from {@code offset}.
     *
     * @return the event's step.
     */
    public long append(
        final EventKind kind, final int flags, final long timestampNanos, final DirectBuffer buffer, final int offset, final int length)
    {
        checkKind(kind);
        checkLength(length);
        final long step;
        synchronized (state)
        {
            step = state.nextStep;
            final int index = claim(kind, flags, timestampNanos, step, -1, null, length);
            journal.buffer().putBytes(index + HEADER_LENGTH, buffer, offset, length);
            journal.publish(index);
            state.nextStep = step + 1;
        }
        if ((flags & EventFlags.COMMIT) != 0)
        {
            journal.commit();
        }
        return step;
    }

    /**
     * Appends {@code session.end} with the given status.
     *
     * @return the event's step.
     */
    public long end(final String status)
    {
        return appendInternal(EventKind.SESSION_END, "{\"status\":" + Json.quote(status) + "}", store.nowNanos());
    }

    /**
     * Returns when everything appended before it, by any thread, is in the journal, and, with
     * {@link Durability#SYNC}, on disk. Commits that arrive together share one msync.
     */
    public void commit()
    {
        store.commit();
    }

    /**
     * Appends an event of a kind the store writes itself (session.start, fork, session.end).
     */
    long appendInternal(final EventKind kind, final CharSequence json, final long timestampNanos)
    {
        final int payloadLength = Utf8.encodedLength(json);
        checkLength(payloadLength);
        synchronized (state)
        {
            final long step = kind == EventKind.FORK ? state.forkStep : state.nextStep;
            final byte[] key = kind == EventKind.SESSION_START || kind == EventKind.FORK ? store.keyBytes(state.name) : null;
            final int parentId = kind == EventKind.FORK ? state.parent.id : -1;
            final int index = claim(kind, 0, timestampNanos, step, parentId, key, payloadLength);
            Utf8.encode(json, journal.buffer(), index + HEADER_LENGTH + (key == null ? 0 : key.length));
            journal.publish(index);
            if (kind != EventKind.FORK)
            {
                state.nextStep = step + 1;
            }
            return step;
        }
    }

    /**
     * Called with the branch's monitor held.
     */
    private int claim(
        final EventKind kind,
        final int flags,
        final long timestampNanos,
        final long step,
        final int parentId,
        final byte[] key,
        final int payloadLength)
    {
        store.checkWritable();
        if (state.batch != batch || batch != null && batch.isClosed())
        {
            throw refused();
        }
        final int keyLength = key == null ? 0 : key.length;
        final int length = EventHeaderDescriptor.eventLength(keyLength, payloadLength);
        final int index = journal.claim(JournalWriter.MSG_EVENT, length);
        final MutableDirectBuffer buffer = journal.buffer();
        header.wrap(buffer, index).encode(kind, flags & ~BatchRecordDescriptor.EVENT_FLAG | batchFlag, state.id, step,
            timestampNanos, parentId, keyLength, payloadLength);
        if (key != null)
        {
            buffer.putBytes(index + HEADER_LENGTH, key);
        }
        return index;
    }

    private IllegalStateException refused()
    {
        return new IllegalStateException(batch != null ? "the batch of this writer of " + state.name + " has ended" :
            "branch " + state.name + " is being written by an open batch: append through the batch's writer, or after " +
                "the batch ends");
    }

    private static void checkKind(final EventKind kind)
    {
        if (kind == null)
        {
            throw new IllegalArgumentException("kind must not be null");
        }
        if (kind == EventKind.SESSION_START || kind == EventKind.FORK)
        {
            throw new IllegalArgumentException(
                kind.wireName() + " events are written by Store.startSession and Store.fork, not appended");
        }
    }

    private static void checkLength(final int payloadLength)
    {
        if (payloadLength > Store.MAX_PAYLOAD_LENGTH)
        {
            throw new IllegalArgumentException(
                "payload of " + payloadLength + " bytes is over the limit of " + Store.MAX_PAYLOAD_LENGTH + " bytes");
        }
    }
}
