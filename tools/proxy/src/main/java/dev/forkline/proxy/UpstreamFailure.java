package dev.forkline.proxy;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The upstream answered a model call with an error (or with nothing the proxy can read, or not at all): passed to
 * the client as it came, and recorded as an {@code upstream.error} effect instead of a model turn.
 */
final class UpstreamFailure extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    final int status;
    final String contentType;
    final byte[] body;
    final transient Map<String, List<String>> headers;
    /** The client has the response's start already (a stream that broke off). */
    final boolean started;

    UpstreamFailure(final int status, final String contentType, final byte[] body, final Map<String, List<String>> headers,
        final boolean started)
    {
        super("upstream answered " + status);
        this.status = status;
        this.contentType = contentType == null || contentType.isEmpty() ? ClientResponse.JSON : contentType;
        this.body = body;
        this.headers = headers;
        this.started = started;
    }

    /**
     * @return the body as it is recorded: its JSON when it is JSON, else its text; redacted.
     */
    JsonNode recordedBody()
    {
        final String text = new String(body, StandardCharsets.UTF_8);
        try
        {
            return ProxyJson.parse(StoredText.of(text));
        }
        catch (final IllegalArgumentException ex)
        {
            return ProxyJson.NODES.textNode(StoredText.of(text));
        }
    }
}
