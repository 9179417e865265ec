package dev.forkline.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A server-sent events response: each {@link #send} writes one {@code data:} event and flushes it, so that the
 * client sees it at once. The stream ends when the route returns.
 */
public final class EventStream
{
    private final OutputStream out;

    EventStream(final OutputStream out)
    {
        this.out = out;
    }

    /**
     * Sends {@code data: <data>} and a blank line.
     *
     * @throws IllegalArgumentException when {@code data} holds a line break (one event, one line here).
     */
    public void send(final String data) throws IOException
    {
        if (data.indexOf('\n') >= 0 || data.indexOf('\r') >= 0)
        {
            throw new IllegalArgumentException("an event's data must be one line");
        }
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Sends a named event: {@code event: <name>}, then {@code data: <data>} and a blank line.
     */
    public void send(final String name, final String data) throws IOException
    {
        if (name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0)
        {
            throw new IllegalArgumentException("an event's name must be one line");
        }
        out.write(("event: " + name + "\n").getBytes(StandardCharsets.UTF_8));
        send(data);
    }
}
