package dev.forkline.kernel.export;

import dev.forkline.kernel.Event;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.EventView;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Writes events as lines of the {@code events} interchange format:
 * {@code {"session","branch","step","kind","ts","flags"?,"data" | "data_base64"}}, keys in that order.
 * <p>
 * {@code data} is the payload exactly as stored when it is one JSON value on one line; any other payload
 * (opaque bytes, or JSON with raw line breaks that would split the line) goes as {@code data_base64}, so that
 * nothing is lost. Redaction, when on, replaces secrets inside the JSON text; base64 payloads are left alone.
 */
final class EventLines
{
    private final LineSink sink;
    private final SecretRedactor redactor;
    private final Base64.Encoder base64 = Base64.getEncoder();

    EventLines(final LineSink sink, final SecretRedactor redactor)
    {
        this.sink = sink;
        this.redactor = redactor;
    }

    void write(final EventView event)
    {
        write(event.session(), event.branch(), event.step(), event.kind(), event.timestampNanos(), event.flags(),
            event.payloadBytes());
    }

    void write(final Event event)
    {
        write(event.session(), event.branch(), event.step(), event.kind(), event.timestampNanos(), event.flags(),
            event.payload());
    }

    private void write(
        final String session,
        final String branch,
        final long step,
        final EventKind kind,
        final long timestampNanos,
        final int flags,
        final byte[] stored)
    {
        // session ids and branch names are of [A-Za-z0-9._:/-]: nothing to escape
        sink.putAscii("{\"session\":\"").putAscii(session)
            .putAscii("\",\"branch\":\"").putAscii(branch)
            .putAscii("\",\"step\":").putAscii(Long.toString(step))
            .putAscii(",\"kind\":\"").putAscii(kind.wireName())
            .putAscii("\",\"ts\":\"").putAscii(timestamp(timestampNanos)).put((byte)'"');
        if (flags != 0)
        {
            sink.putAscii(",\"flags\":").putAscii(Integer.toString(flags));
        }
        byte[] payload = stored;
        if (isOneLineJson(payload))
        {
            if (redactor.mayContainSecret(payload, 0, payload.length))
            {
                final String text = new String(payload, StandardCharsets.UTF_8);
                final String redacted = redactor.redact(text);
                if (redacted != text)
                {
                    payload = redacted.getBytes(StandardCharsets.UTF_8);
                }
            }
            sink.putAscii(",\"data\":").put(payload);
        }
        else
        {
            sink.putAscii(",\"data_base64\":\"").put(base64.encode(payload)).put((byte)'"');
        }
        sink.putAscii("}\n");
    }

    static String timestamp(final long nanos)
    {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)).toString();
    }

    private static boolean isOneLineJson(final byte[] payload)
    {
        for (final byte b : payload)
        {
            if (b == '\n' || b == '\r')
            {
                return false;
            }
        }
        return TurnParser.isJson(payload, 0, payload.length);
    }
}
