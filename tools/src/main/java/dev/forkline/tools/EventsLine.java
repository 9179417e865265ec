package dev.forkline.tools;

import dev.forkline.kernel.EventKind;

/**
 * One line of the {@code events} interchange format, written with a fixed field order so that
 * import then export gives the same bytes:
 * <pre>
 * {"session":"task-42","branch":"task-42","step":3,"kind":"tool.result","ts":"2026-11-29T17:00:00.123456Z","data":{...}}
 * </pre>
 * {@code data} is the stored payload as it is (JSON text).
 */
final class EventsLine
{
    private EventsLine()
    {
    }

    static StringBuilder append(
        final StringBuilder out,
        final String session,
        final String branch,
        final long step,
        final EventKind kind,
        final long timestampNanos,
        final String payload)
    {
        out.append("{\"session\":");
        quote(out, session);
        out.append(",\"branch\":");
        quote(out, branch);
        out.append(",\"step\":").append(step).append(",\"kind\":\"").append(kind.wireName())
            .append("\",\"ts\":\"").append(Timestamps.iso(timestampNanos)).append("\",\"data\":")
            .append(payload.isEmpty() ? "null" : payload).append('}');
        return out;
    }

    /**
     * Session and branch names match {@code [A-Za-z0-9._:/-]}, so quoting needs no escapes.
     */
    private static void quote(final StringBuilder out, final String name)
    {
        out.append('"').append(name).append('"');
    }
}
