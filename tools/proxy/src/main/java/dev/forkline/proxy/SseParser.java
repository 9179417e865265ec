package dev.forkline.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits a server-sent event stream, arriving in chunks of any size, into events: {@code event:} and
 * {@code data:} lines up to a blank line. Lines are decoded as UTF-8 only once whole, so a chunk may end inside
 * a character.
 */
final class SseParser
{
    private final Protocol.StreamTurn sink;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final StringBuilder data = new StringBuilder();
    private String event;
    private boolean hasData;
    private boolean lastWasCr;

    SseParser(final Protocol.StreamTurn sink)
    {
        this.sink = sink;
    }

    void accept(final byte[] bytes, final int offset, final int length)
    {
        for (int i = offset; i < offset + length; i++)
        {
            final byte b = bytes[i];
            if (b == '\n' && lastWasCr)
            {
                lastWasCr = false;
                continue;
            }
            lastWasCr = b == '\r';
            if (b == '\n' || b == '\r')
            {
                line(line.toString(StandardCharsets.UTF_8));
                line.reset();
            }
            else
            {
                line.write(b);
            }
        }
    }

    /**
     * Dispatches an event the stream did not end with a blank line.
     */
    void finish()
    {
        if (line.size() > 0)
        {
            line(line.toString(StandardCharsets.UTF_8));
            line.reset();
        }
        line("");
    }

    private void line(final String text)
    {
        if (text.isEmpty())
        {
            if (hasData)
            {
                sink.event(event, data.toString());
            }
            event = null;
            data.setLength(0);
            hasData = false;
            return;
        }
        if (text.startsWith(":"))
        {
            return;
        }
        final int colon = text.indexOf(':');
        final String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" "))
        {
            value = value.substring(1);
        }
        if ("data".equals(field))
        {
            if (hasData)
            {
                data.append('\n');
            }
            data.append(value);
            hasData = true;
        }
        else if ("event".equals(field))
        {
            event = value;
        }
    }
}
