package dev.forkline.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One request to a {@link LocalHttpServer} and its response: read the body, then either {@link #respond} once
 * or open an {@link #eventStream()}. Blocking, on the server thread that runs the route.
 */
public final class HttpExchange
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Request request;
    private final Response response;
    private OutputStream out;
    private EventStream events;
    private String body;

    HttpExchange(final Request request, final Response response)
    {
        this.request = request;
        this.response = response;
    }

    /**
     * @return the request method, for example {@code POST}.
     */
    public String method()
    {
        return request.getMethod();
    }

    /**
     * @return the request path, without the query.
     */
    public String path()
    {
        return Request.getPathInContext(request);
    }

    /**
     * @return the value of a request header, or null.
     */
    public String header(final String name)
    {
        return request.getHeaders().get(name);
    }

    /**
     * @return the request body as UTF-8 text (read once, then kept).
     */
    public String body() throws IOException
    {
        if (body == null)
        {
            body = Content.Source.asString(request, StandardCharsets.UTF_8);
        }
        return body;
    }

    /**
     * Writes a whole response.
     *
     * @throws IllegalStateException when a response was written already.
     */
    public void respond(final int status, final String contentType, final String text) throws IOException
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        final OutputStream stream = open();
        stream.write(bytes);
    }

    /**
     * Writes {@code {"error":{"message":…,"type":"invalid_request_error","code":status}}}, the error shape of
     * OpenAI-compatible servers.
     */
    public void respondError(final int status, final String message) throws IOException
    {
        final ObjectNode error = MAPPER.createObjectNode();
        error.putObject("error").put("message", message).put("type", status >= 500 ? "server_error" : "invalid_request_error")
            .put("code", status);
        respond(status, "application/json", MAPPER.writeValueAsString(error));
    }

    /**
     * Starts a {@code text/event-stream} response with status 200.
     *
     * @throws IllegalStateException when a response was written already.
     */
    public EventStream eventStream()
    {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        events = new EventStream(open());
        return events;
    }

    private OutputStream open()
    {
        if (out != null)
        {
            throw new IllegalStateException("the response to " + method() + " " + path() + " is written already");
        }
        out = Content.Sink.asOutputStream(response);
        return out;
    }

    void finish() throws IOException
    {
        if (out == null)
        {
            respond(204, "text/plain", "");
        }
        out.close();
    }
}
