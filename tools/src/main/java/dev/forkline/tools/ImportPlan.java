package dev.forkline.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forkline.kernel.Batch;
import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.EventFlags;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything an import will write, read and checked in full before the store is touched: a malformed
 * file fails the import with nothing written. The whole import is written in one {@link Batch}, so that
 * readers see all of it or, when writing fails or the process is stopped, none of it.
 */
final class ImportPlan
{
    /**
     * One event to write. For a {@code fork}, {@code parent} is the branch forked and {@code payload} the
     * reason (may be null); for a {@code session.start}, {@code branch} is the session. {@code binary} holds a
     * payload that is not text (from {@code data_base64}), else null.
     */
    record Entry(String branch, String parent, EventKind kind, long step, long timestampNanos, String payload, int flags,
        byte[] binary)
    {
        Entry(final String branch, final String parent, final EventKind kind, final long step, final long timestampNanos,
            final String payload)
        {
            this(branch, parent, kind, step, timestampNanos, payload, EventFlags.IMPORTED, null);
        }
    }

    private final Map<String, String> sessions = new LinkedHashMap<>(); // session -> the input that gives it
    private final List<Entry> entries = new ArrayList<>();

    /**
     * @throws InputException when another input of this import already gives the session.
     */
    void addSession(final String session, final String source)
    {
        if (sessions.putIfAbsent(session, source) != null)
        {
            throw new InputException(source + ": session '" + session + "' comes twice in this import");
        }
    }

    void add(final Entry entry)
    {
        entries.add(entry);
    }

    /**
     * Starts a single-branch session and returns a draft that appends to it step by step.
     */
    Draft draft(final String session, final String source, final long startNanos, final JsonNode start)
    {
        addSession(session, source);
        final Draft draft = new Draft(session, source, startNanos);
        draft.add(EventKind.SESSION_START, startNanos, start);
        return draft;
    }

    List<String> sessions()
    {
        return List.copyOf(sessions.keySet());
    }

    int size()
    {
        return entries.size();
    }

    /**
     * @throws InputException when a session is in the store already (nothing written).
     */
    void checkNew(final Store store)
    {
        final Set<String> existing = new LinkedHashSet<>(store.sessions());
        for (final Map.Entry<String, String> session : sessions.entrySet())
        {
            if (existing.contains(session.getKey()))
            {
                throw new InputException(session.getValue() + ": session '" + session.getKey() + "' is in the store already (import it with another " +
                    "--session, or into another --store)");
            }
        }
    }

    /**
     * Writes every entry in order, in one batch, and returns once the batch is committed. When anything fails
     * (a full disk) the batch is rolled back: the store is as it was.
     */
    void write(final Store store, final ProgressBar progress)
    {
        try (Batch batch = store.beginBatch())
        {
            final Map<String, BranchWriter> writers = new HashMap<>();
            long done = 0;
            for (final Entry entry : entries)
            {
                switch (entry.kind())
                {
                    case SESSION_START -> writers.put(entry.branch(),
                        batch.startSession(entry.branch(), entry.payload(), entry.timestampNanos()));
                    case FORK ->
                    {
                        final BranchWriter fork = batch.fork(entry.parent(), entry.step(), entry.payload(), entry.timestampNanos());
                        if (!fork.branch().equals(entry.branch()))
                        {
                            throw new IllegalStateException("fork created " + fork.branch() + ", expected " + entry.branch());
                        }
                        writers.put(entry.branch(), fork);
                    }
                    default ->
                    {
                        final BranchWriter writer = writers.get(entry.branch());
                        if (entry.binary() != null)
                        {
                            writer.append(entry.kind(), entry.flags(), entry.timestampNanos(),
                                new UnsafeBuffer(entry.binary()), 0, entry.binary().length);
                        }
                        else
                        {
                            writer.append(entry.kind(), entry.flags(), entry.timestampNanos(), entry.payload());
                        }
                    }
                }
                progress.update(++done);
            }
            batch.commit();
        }
    }

    /**
     * A single-branch session being read: each event takes the next step.
     */
    final class Draft
    {
        private final String session;
        private final String source;
        private final long startNanos;
        private long step;
        private long lastNanos;

        private Draft(final String session, final String source, final long startNanos)
        {
            this.session = session;
            this.source = source;
            this.startNanos = startNanos;
            this.lastNanos = startNanos;
        }

        /**
         * Appends with a time of its own (never before the previous event).
         */
        void add(final EventKind kind, final long timestampNanos, final JsonNode data)
        {
            final String payload = Json.write(data);
            if (payload.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > Store.MAX_PAYLOAD_LENGTH)
            {
                throw new InputException(source + ": step " + step + " (" + kind.wireName() + ") is over the payload " +
                    "limit of " + Store.MAX_PAYLOAD_LENGTH + " bytes");
            }
            lastNanos = Math.max(lastNanos, timestampNanos);
            entries.add(new Entry(session, null, kind, step++, lastNanos, payload));
        }

        /**
         * Appends for a format without times: one microsecond after the session start per step.
         */
        void add(final EventKind kind, final JsonNode data)
        {
            add(kind, startNanos + step * 1_000L, data);
        }

        long step()
        {
            return step;
        }
    }
}
