package dev.forkline.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forkline.kernel.Batch;
import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.EventFlags;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the readers of an import put its events, one at a time as they read them: each is checked and appended to
 * the import's one {@link Batch} at once, so that memory does not grow with the input. Readers see the batch all at
 * once when it commits, after the last file; a bad event (an {@link InputException}), a full disk or a stopped
 * process rolls it back, and the store is as it was.
 * <p>
 * The checks that need earlier input keep small state only: the session ids of the import (a session twice, or one
 * that is in the store already) and a writer for each branch the {@code events} format appends to. Without a store
 * (a dry run) every event is checked and none is written. A session that is in the store already rolls the batch
 * back at once; the rest of the input is still checked, without writing, and that session is reported at the end
 * unless the input has something wrong with it (as when all of it was checked before anything was written).
 */
final class ImportSink implements AutoCloseable
{
    private final Set<String> existing;
    private Batch batch; // null once nothing is to be written: a dry run, or a session in the store already
    private InputException inStore;
    private final Set<String> sessions = new LinkedHashSet<>();
    private final Map<String, BranchWriter> writers = new HashMap<>();
    private long events;

    /**
     * @param store    the store to write, or null to write nothing.
     * @param existing the sessions the store has, which the import must not give.
     */
    ImportSink(final Store store, final Set<String> existing)
    {
        this.existing = existing;
        this.batch = store == null ? null : store.beginBatch();
    }

    /**
     * Takes a session id for the import.
     *
     * @param where the input that gives it, named in an error.
     * @throws InputException when another input of this import gives the session (one the store has is reported by
     *                        {@link #commit()}, and nothing is written from here on).
     */
    void addSession(final String session, final String where)
    {
        if (!sessions.add(session))
        {
            throw new InputException(where + ": session '" + session + "' comes twice in this import");
        }
        if (existing.contains(session) && inStore == null)
        {
            // reported once the rest of the input is checked, as a malformed file is the more useful news
            inStore = new InputException(where + ": session '" + session + "' is in the store already (import it with " +
                "another --session, or into another --store)");
            if (batch != null)
            {
                batch.abort();
                batch = null;
                writers.clear();
            }
        }
    }

    /**
     * Appends the {@code session.start} of a session {@link #addSession} took.
     */
    void start(final String session, final long timestampNanos, final String payload)
    {
        events++;
        if (batch != null)
        {
            writers.put(session, batch.startSession(session, payload, timestampNanos));
        }
    }

    /**
     * Forks {@code parent} at {@code step}; the store names the fork {@code branch} (the readers number forks as it
     * does).
     */
    void fork(final String branch, final String parent, final long step, final long timestampNanos, final String reason)
    {
        events++;
        if (batch != null)
        {
            final BranchWriter fork = batch.fork(parent, step, reason, timestampNanos);
            if (!fork.branch().equals(branch))
            {
                throw new IllegalStateException("fork created " + fork.branch() + ", expected " + branch);
            }
            writers.put(branch, fork);
        }
    }

    /**
     * Appends to a branch {@link #start} or {@link #fork} created.
     *
     * @param binary the payload when it is not text (then {@code payload} is null), else null.
     */
    void append(final String branch, final EventKind kind, final int flags, final long timestampNanos, final String payload,
        final byte[] binary)
    {
        events++;
        if (batch != null)
        {
            final BranchWriter writer = writers.get(branch);
            if (binary != null)
            {
                writer.append(kind, flags, timestampNanos, new UnsafeBuffer(binary), 0, binary.length);
            }
            else
            {
                writer.append(kind, flags, timestampNanos, payload);
            }
        }
    }

    /**
     * Starts a single-branch session and returns a draft that appends to it step by step.
     */
    Draft draft(final String session, final String where, final long startNanos, final JsonNode start)
    {
        addSession(session, where);
        final String payload = checked(where, 0, EventKind.SESSION_START, start);
        final Draft draft = new Draft(where, startNanos, batch == null ? null : batch.startSession(session, payload, startNanos));
        events++;
        return draft;
    }

    List<String> sessions()
    {
        return List.copyOf(sessions);
    }

    /**
     * @return the events checked (and appended) so far.
     */
    long events()
    {
        return events;
    }

    /**
     * Makes the import readable, all at once; returns when it is in the journal.
     *
     * @throws InputException when a session of the import is in the store already (nothing is written).
     */
    void commit()
    {
        if (inStore != null)
        {
            throw inStore;
        }
        if (batch != null)
        {
            batch.commit();
        }
    }

    /**
     * Rolls the import back unless it was committed.
     */
    @Override
    public void close()
    {
        if (batch != null)
        {
            batch.close();
        }
    }

    private static String checked(final String where, final long step, final EventKind kind, final JsonNode data)
    {
        final String payload = Json.write(data);
        if (payload.getBytes(StandardCharsets.UTF_8).length > Store.MAX_PAYLOAD_LENGTH)
        {
            throw new InputException(where + ": step " + step + " (" + kind.wireName() + ") is over the payload " +
                "limit of " + Store.MAX_PAYLOAD_LENGTH + " bytes");
        }
        return payload;
    }

    /**
     * A single-branch session being read: each event takes the next step.
     */
    final class Draft
    {
        private final String where;
        private final long startNanos;
        private final BranchWriter writer;
        private long step = 1;
        private long lastNanos;

        private Draft(final String where, final long startNanos, final BranchWriter writer)
        {
            this.where = where;
            this.startNanos = startNanos;
            this.lastNanos = startNanos;
            this.writer = writer;
        }

        /**
         * Appends with a time of its own (never before the previous event).
         */
        void add(final EventKind kind, final long timestampNanos, final JsonNode data)
        {
            final String payload = checked(where, step, kind, data);
            lastNanos = Math.max(lastNanos, timestampNanos);
            step++;
            events++;
            if (batch != null)
            {
                writer.append(kind, EventFlags.IMPORTED, lastNanos, payload);
            }
        }

        /**
         * Appends for a format without times: one microsecond after the session start per step.
         */
        void add(final EventKind kind, final JsonNode data)
        {
            add(kind, startNanos + step * 1_000L, data);
        }
    }
}
