package dev.forkline.kernel.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forkline.kernel.BranchInfo;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.EventView;
import dev.forkline.kernel.JournalCursor;
import dev.forkline.kernel.Store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hands over whole sessions to the exporter while reading the journal once, in the order it was written.
 * <p>
 * Design note: reading each branch by random access costs a journal lookup per event and a tailer per branch,
 * about ten times a sequential read. Here each session's events are kept as they pass by, and the session goes
 * out when the index says all its events (as far as they were written when the session was first seen) have
 * been read. A session whose events are far apart in the journal (an outcome appended hours later, say) would
 * hold memory meanwhile: past {@link #MAX_BUFFERED_BYTES}, the longest-waiting session drops what it holds and
 * is read again by branch when it completes. So memory stays bounded, and the order of sessions is the order in
 * which their last events were written, whatever the bound.
 */
final class JournalSessions
{
    static final long MAX_BUFFERED_BYTES = 32L * 1024 * 1024;

    /** Decides, from its {@code session.start}, whether a session is exported. */
    interface StartFilter
    {
        /**
         * @return the parsed {@code session.start} payload, or null to leave the session out.
         */
        JsonNode accept(String session, long timestampNanos, byte[] payload);
    }

    /** Reads a complete session's tree, parsing its events, on whichever thread calls it. */
    interface SessionSource
    {
        /**
         * @throws SessionSkip when the session cannot be exported.
         */
        SessionTree read(TurnParser parser);
    }

    /** Receives each session, complete, or the reason it cannot be exported, in the order they complete. */
    interface SessionHandler
    {
        void session(String session, JsonNode start, SessionSource source);

        void skip(String session, String reason);
    }

    private static final class Pending
    {
        final String session;
        final JsonNode start;
        final List<BranchInfo> branches;
        final Map<String, Integer> index = new HashMap<>();
        final List<List<Turn>> own = new ArrayList<>();
        long remaining;
        long bytes;
        boolean deferred;

        Pending(final String session, final JsonNode start, final List<BranchInfo> branches)
        {
            this.session = session;
            this.start = start;
            this.branches = branches;
            for (int i = 0; i < branches.size(); i++)
            {
                final BranchInfo branch = branches.get(i);
                index.put(branch.name(), i);
                own.add(new ArrayList<>());
                remaining += branch.length() - branch.forkStep();
            }
        }
    }

    private final Store store;
    private final long maxBufferedBytes;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private long buffered;
    private long damaged;

    JournalSessions(final Store store, final long maxBufferedBytes)
    {
        this.store = store;
        this.maxBufferedBytes = maxBufferedBytes;
    }

    /**
     * @param wanted the sessions to consider, or null for all.
     */
    void run(final Set<String> wanted, final StartFilter filter, final SessionHandler handler)
    {
        try (JournalCursor cursor = store.readJournal())
        {
            while (cursor.next())
            {
                if (cursor.problem() != null)
                {
                    damaged++;
                    continue; // its session stays incomplete and is read by branch at the end, which reports it
                }
                final EventView view = cursor.event();
                final String session = view.session();
                Pending p = pending.get(session);
                if (p == null)
                {
                    // a session's first record is its session.start; any other is a late event of a session
                    // already exported or left out
                    if (view.kind() != EventKind.SESSION_START)
                    {
                        continue;
                    }
                    p = open(session, view, wanted, filter);
                    if (p == null)
                    {
                        continue;
                    }
                }
                take(p, view);
                if (p.remaining == 0)
                {
                    finish(p, handler);
                }
                while (buffered > maxBufferedBytes)
                {
                    defer();
                }
            }
        }
        final List<Pending> incomplete = new ArrayList<>(pending.values());
        for (final Pending p : incomplete)
        {
            finish(p, handler);
        }
    }

    /**
     * @return the damaged records {@link #run} met: whatever session each belonged to is missing or incomplete.
     */
    long damaged()
    {
        return damaged;
    }

    private Pending open(final String session, final EventView view, final Set<String> wanted, final StartFilter filter)
    {
        if (wanted != null && !wanted.contains(session))
        {
            return null;
        }
        final JsonNode start = filter.accept(session, view.timestampNanos(), view.payloadBytes());
        if (start == null)
        {
            return null;
        }
        final Pending p = new Pending(session, start, store.treeShape(session));
        pending.put(session, p);
        return p;
    }

    private void take(final Pending p, final EventView view)
    {
        if (view.kind() == EventKind.FORK)
        {
            return;
        }
        final Integer index = p.index.get(view.branch());
        if (index == null || view.step() >= p.branches.get(index).length())
        {
            return; // written after the session was first seen
        }
        p.remaining--;
        if (!p.deferred)
        {
            p.own.get(index).add(new Turn(view.kind(), index, view.step(), view.payloadBytes()));
            p.bytes += view.payloadLength();
            buffered += view.payloadLength();
        }
    }

    private void defer()
    {
        for (final Pending p : pending.values())
        {
            if (!p.deferred && p.bytes > 0)
            {
                p.deferred = true;
                release(p);
                return;
            }
        }
        buffered = 0; // nothing left to release
    }

    private void release(final Pending p)
    {
        buffered -= p.bytes;
        p.bytes = 0;
        for (final List<Turn> turns : p.own)
        {
            turns.clear();
        }
    }

    private void finish(final Pending p, final SessionHandler handler)
    {
        pending.remove(p.session);
        buffered -= p.bytes;
        p.bytes = 0;
        final String session = p.session;
        if (p.deferred || p.remaining > 0)
        {
            handler.session(session, p.start, parser -> SessionTree.load(store, session, parser));
        }
        else
        {
            final List<BranchInfo> branches = p.branches;
            final List<List<Turn>> own = p.own;
            handler.session(session, p.start, parser -> SessionTree.assemble(session, branches, own, parser));
        }
    }
}
