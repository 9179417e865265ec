package dev.forkline.kernel;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An owned copy of one event.
 *
 * @param session        the session.
 * @param branch         the branch that wrote it.
 * @param step           its step in that branch.
 * @param kind           what it records.
 * @param timestampNanos nanoseconds since the epoch.
 * @param flags          see {@link EventFlags}.
 * @param payload        the payload bytes (UTF-8 JSON for every kind Forkline writes itself).
 */
public record Event(String session, String branch, long step, EventKind kind, long timestampNanos, int flags, byte[] payload)
{
    /**
     * @return the payload decoded as UTF-8.
     */
    public String payloadAsString()
    {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof Event e && session.equals(e.session) && branch.equals(e.branch) &&
            step == e.step && kind == e.kind && timestampNanos == e.timestampNanos && flags == e.flags &&
            Arrays.equals(payload, e.payload);
    }

    @Override
    public int hashCode()
    {
        return (int)(31 * (31 * branch.hashCode() + Long.hashCode(step)) + Arrays.hashCode(payload));
    }

    @Override
    public String toString()
    {
        return branch + "@" + step + " " + kind.wireName() + " " + payloadAsString();
    }
}
