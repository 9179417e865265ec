package dev.forkline.proxy;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The response to one client request, written as it goes: a status and headers, then the body whole or in
 * chunks, each chunk sent when written. A client that went away shows as {@link ClientGone}.
 * <p>
 * Threading: the request's thread only.
 */
final class ClientResponse implements Protocol.SseOut
{
    static final String JSON = "application/json";
    static final String EVENT_STREAM = "text/event-stream";

    private final Response response;
    private OutputStream out;
    private boolean finished;

    ClientResponse(final Response response)
    {
        this.response = response;
    }

    boolean started()
    {
        return out != null;
    }

    /**
     * Sets the status and headers; they go out with the first bytes.
     */
    void start(final int status, final String contentType, final Map<String, List<String>> headers)
    {
        if (out != null)
        {
            throw new IllegalStateException("the response has started");
        }
        response.setStatus(status);
        if (headers != null)
        {
            for (final Map.Entry<String, List<String>> header : headers.entrySet())
            {
                if (!"content-type".equals(header.getKey().toLowerCase(Locale.ROOT)))
                {
                    for (final String value : header.getValue())
                    {
                        response.getHeaders().add(header.getKey(), value);
                    }
                }
            }
        }
        response.getHeaders().put("Content-Type", contentType);
        if (contentType.startsWith(EVENT_STREAM))
        {
            response.getHeaders().put("Cache-Control", "no-cache");
        }
        out = Content.Sink.asOutputStream(response);
    }

    /**
     * Adds a header before the response starts.
     */
    void header(final String name, final String value)
    {
        if (out == null && value != null)
        {
            response.getHeaders().put(name, value);
        }
    }

    /**
     * Writes and sends bytes.
     *
     * @throws ClientGone when the client closed the connection.
     */
    void write(final byte[] bytes, final int offset, final int length)
    {
        try
        {
            out.write(bytes, offset, length);
            out.flush();
        }
        catch (final IOException ex)
        {
            throw new ClientGone(ex);
        }
    }

    /**
     * A whole response.
     */
    void send(final int status, final String contentType, final Map<String, List<String>> headers, final byte[] body)
    {
        start(status, contentType, headers);
        response.getHeaders().put("Content-Length", Integer.toString(body.length));
        write(body, 0, body.length);
    }

    @Override
    public void event(final String event, final String data)
    {
        final StringBuilder text = new StringBuilder(data.length() + 32);
        if (event != null)
        {
            text.append("event: ").append(event).append('\n');
        }
        text.append("data: ").append(data).append("\n\n");
        final byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        write(bytes, 0, bytes.length);
    }

    /**
     * Ends the body.
     */
    void finish()
    {
        if (finished)
        {
            return;
        }
        finished = true;
        try
        {
            if (out == null)
            {
                out = Content.Sink.asOutputStream(response);
            }
            out.close();
        }
        catch (final IOException ex)
        {
            throw new ClientGone(ex);
        }
    }

    /**
     * The client closed the connection before its response was written.
     */
    static final class ClientGone extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        ClientGone(final IOException cause)
        {
            super("the client closed the connection: " + cause.getMessage(), cause);
        }
    }
}
