package dev.forkline.proxy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The sessions the proxy has open, found from the traffic: a request continues the session whose known
 * conversation (its last request and the response to it) is a prefix of the request's messages, the longest such
 * prefix first; a request that names its session continues that one. A session serves one request at a time; a
 * request that would continue a busy session starts a new one.
 * <p>
 * Bounded: past {@code maxSessions} the least recently used idle session is closed.
 * <p>
 * Threading: safe from any thread; one lock, held only to look up and update, never across a call upstream.
 */
final class SessionTable
{
    private final int maxSessions;
    private final Map<Prefix, List<ProxySession>> byKnown = new HashMap<>();
    private final Map<String, ProxySession> byName = new HashMap<>();
    private final LinkedHashSet<ProxySession> byUse = new LinkedHashSet<>();
    private long clock;

    SessionTable(final int maxSessions)
    {
        this.maxSessions = maxSessions;
    }

    /**
     * A session handed to one request.
     *
     * @param session the session, busy until {@link #release}.
     * @param from    how many of the request's messages the session knows already.
     * @param isNew   true when the session was created for this request and has no recorder yet.
     */
    record Claim(ProxySession session, int from, boolean isNew)
    {
    }

    /**
     * @param chain  the prefix digests of the request's messages.
     * @param name   the session the request names, or null.
     * @param create makes the session when none continues.
     * @return the claim, or null when the named session is busy with another request.
     */
    synchronized Claim claim(final List<Prefix> chain, final String name, final java.util.function.Supplier<ProxySession> create)
    {
        if (name != null)
        {
            final ProxySession named = byName.get(name);
            if (named != null)
            {
                if (named.busy)
                {
                    return null;
                }
                return new Claim(take(named), commonPrefix(named.known, chain), false);
            }
        }
        else
        {
            for (int i = chain.size() - 1; i >= 0; i--)
            {
                final List<ProxySession> candidates = byKnown.get(chain.get(i));
                if (candidates == null)
                {
                    continue;
                }
                for (final ProxySession candidate : candidates)
                {
                    if (!candidate.busy && candidate.known.size() == i + 1)
                    {
                        return new Claim(take(candidate), i + 1, false);
                    }
                }
            }
        }
        final ProxySession session = create.get();
        session.busy = true;
        session.lastUsed = ++clock;
        if (name != null)
        {
            byName.put(name, session);
        }
        byUse.add(session);
        return new Claim(session, 0, true);
    }

    private ProxySession take(final ProxySession session)
    {
        session.busy = true;
        session.lastUsed = ++clock;
        byUse.remove(session);
        byUse.add(session);
        return session;
    }

    /**
     * Ends a request's use of a session; it now knows {@code known}.
     *
     * @return the idle sessions to close because the table is over its bound.
     */
    synchronized List<ProxySession> release(final ProxySession session, final List<Prefix> known)
    {
        unindex(session);
        session.known = known;
        if (!known.isEmpty())
        {
            byKnown.computeIfAbsent(known.get(known.size() - 1), k -> new ArrayList<>(1)).add(session);
        }
        session.busy = false;
        final List<ProxySession> evicted = new ArrayList<>();
        final Iterator<ProxySession> oldest = byUse.iterator();
        while (byUse.size() - evicted.size() > maxSessions && oldest.hasNext())
        {
            final ProxySession candidate = oldest.next();
            if (!candidate.busy)
            {
                evicted.add(candidate);
            }
        }
        for (final ProxySession gone : evicted)
        {
            remove(gone);
        }
        return evicted;
    }

    /**
     * Forgets a session (one whose creation failed, or one closed).
     */
    synchronized void remove(final ProxySession session)
    {
        unindex(session);
        byUse.remove(session);
        if (session.name != null && byName.get(session.name) == session)
        {
            byName.remove(session.name);
        }
    }

    /**
     * @return every session, forgotten by the table.
     */
    synchronized List<ProxySession> drain()
    {
        final List<ProxySession> all = new ArrayList<>(byUse);
        byUse.clear();
        byKnown.clear();
        byName.clear();
        return all;
    }

    synchronized int size()
    {
        return byUse.size();
    }

    synchronized boolean anyReplaying(final String branch)
    {
        for (final ProxySession session : byUse)
        {
            if (session.recorder != null && !session.recorder.isLive() && branch.equals(session.recorder.branch()))
            {
                return true;
            }
        }
        return false;
    }

    private void unindex(final ProxySession session)
    {
        if (session.known.isEmpty())
        {
            return;
        }
        final Prefix last = session.known.get(session.known.size() - 1);
        final List<ProxySession> list = byKnown.get(last);
        if (list != null)
        {
            list.remove(session);
            if (list.isEmpty())
            {
                byKnown.remove(last);
            }
        }
    }

    /**
     * @return how many leading messages two conversations share; their digests chain, so equal at i means equal up to i.
     */
    private static int commonPrefix(final List<Prefix> a, final List<Prefix> b)
    {
        int low = 0;
        int high = Math.min(a.size(), b.size());
        while (low < high)
        {
            final int mid = (low + high + 1) >>> 1;
            if (a.get(mid - 1).equals(b.get(mid - 1)))
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }
        return low;
    }
}
