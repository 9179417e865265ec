package dev.forkline.kernel.export;

import dev.forkline.kernel.Event;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.EventView;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Writes events as lines of the {@code events} interchange format:
 * {@code {"session","branch","step","kind","ts","flags"?,"data" | "data_base64"}}, keys in that order.
 * <p>
 * {@code data} is the payload exactly as stored when it is one JSON value on one line; any other payload
 * (opaque bytes, or JSON with raw line breaks that would split the line) goes as {@code data_base64}, so that
 * nothing is lost. Redaction, when on, replaces secrets in the decoded strings of the JSON, and in a payload sent as
 * {@code data_base64} that is text; opaque bytes are left alone.
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
        final long candidates = redactor.candidates(stored, 0, stored.length);
        if (isOneLineJson(stored))
        {
            sink.putAscii(",\"data\":").put(redactor.redactJson(stored, candidates));
        }
        else
        {
            sink.putAscii(",\"data_base64\":\"").put(base64.encode(redactText(stored, candidates))).put((byte)'"');
        }
        sink.putAscii("}\n");
    }

    /**
     * @return a payload that is not one line of JSON with its secrets replaced when it is text (JSON with line breaks
     * in it, or any UTF-8); opaque bytes as they are.
     */
    private byte[] redactText(final byte[] payload, final long candidates)
    {
        if (candidates == 0)
        {
            return payload;
        }
        final String text;
        try
        {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
        }
        catch (final CharacterCodingException ex)
        {
            return payload;
        }
        final String redacted = TurnParser.isJson(text) ? redactor.redactJson(text, candidates) : redactor.redact(text, candidates);
        return redacted == text ? payload : redacted.getBytes(StandardCharsets.UTF_8);
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
