package dev.forkline.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * The proxy's HTTP endpoints, on Jetty's core handler API:
 * <ul>
 *     <li>{@code POST /v1/chat/completions} and {@code POST /v1/messages}: model calls, recorded or replayed;</li>
 *     <li>{@code GET /v1/models}: the upstream's list, or on replay the models of the recordings;</li>
 *     <li>anything else: passed to the upstream unrecorded when there is one, else 404.</li>
 * </ul>
 * A path may start with {@code /s/NAME} to name its session, as the {@value #SESSION_HEADER} header does.
 */
final class ProxyHandler extends Handler.Abstract
{
    static final String SESSION_HEADER = "X-Forkline-Session";
    static final String SESSION_PATH = "/s/";

    private final ProxyContext proxy;

    ProxyHandler(final ProxyContext proxy)
    {
        this.proxy = proxy;
    }

    @Override
    public boolean handle(final Request request, final Response response, final Callback callback)
    {
        final ClientResponse out = new ClientResponse(response);
        String path = request.getHttpURI().getPath();
        String name = request.getHeaders().get(SESSION_HEADER);
        if (path.startsWith(SESSION_PATH))
        {
            final int end = path.indexOf('/', SESSION_PATH.length());
            name = path.substring(SESSION_PATH.length(), end < 0 ? path.length() : end);
            path = end < 0 ? "/" : path.substring(end);
        }
        if (name != null && name.isBlank())
        {
            name = null;
        }
        final Protocol protocol = path.equals("/v1/messages") ? AnthropicMessages.INSTANCE : OpenAiChat.INSTANCE;
        try
        {
            final String query = request.getHttpURI().getQuery();
            final String target = query == null ? path : path + "?" + query;
            final boolean model = "POST".equals(request.getMethod()) &&
                (path.equals("/v1/chat/completions") || path.equals("/v1/messages"));
            if (model)
            {
                model(request, protocol, target, name, out);
            }
            else if ("GET".equals(request.getMethod()) && path.equals("/v1/models") && proxy.config.mode == ProxyConfig.Mode.REPLAY)
            {
                final Protocol shape = request.getHeaders().get("anthropic-version") != null ? AnthropicMessages.INSTANCE : OpenAiChat.INSTANCE;
                out.send(200, ClientResponse.JSON, null, shape.models(proxy.recordedModels()));
            }
            else if (proxy.upstream != null)
            {
                new PassThrough(proxy, request.getMethod(), target, headers(request), body(request), out).run();
            }
            else
            {
                out.send(404, ClientResponse.JSON, null, protocol.error("not_found",
                    request.getMethod() + " " + path + " is not recorded: a replay serves POST /v1/chat/completions, " +
                        "POST /v1/messages and GET /v1/models", null));
            }
            out.finish();
            callback.succeeded();
        }
        catch (final ClientResponse.ClientGone gone)
        {
            callback.failed(gone);
        }
        catch (final BadRequest bad)
        {
            finishWith(out, callback, bad.status, protocol.error(bad.status == 413 ? "request_too_large" : "invalid_request_error",
                bad.getMessage(), null));
        }
        catch (final RuntimeException ex)
        {
            final String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            final ObjectNode entry = proxy.log.entry("error").put("error", "internal error: " + message).put("path", path);
            proxy.log.write(entry);
            finishWith(out, callback, 500, protocol.error("forkline_internal_error", "internal error: " + message, null));
        }
        return true;
    }

    private static void finishWith(final ClientResponse out, final Callback callback, final int status, final byte[] body)
    {
        try
        {
            if (!out.started())
            {
                out.send(status, ClientResponse.JSON, null, body);
            }
            out.finish();
            callback.succeeded();
        }
        catch (final ClientResponse.ClientGone gone)
        {
            callback.failed(gone);
        }
    }

    private void model(final Request request, final Protocol protocol, final String target, final String name, final ClientResponse out)
    {
        final byte[] body = body(request);
        final JsonNode json;
        try
        {
            json = ProxyJson.parse(body);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new BadRequest(400, ex.getMessage());
        }
        if (!json.isObject())
        {
            throw new BadRequest(400, "the body must be a JSON object");
        }
        final ModelRequest parsed;
        try
        {
            parsed = protocol.parse((ObjectNode)json);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new BadRequest(400, ex.getMessage());
        }
        new ModelExchange(proxy, parsed, body, target, headers(request), name, out).run();
    }

    private byte[] body(final Request request)
    {
        final long max = proxy.config.maxRequestBytes;
        if (request.getLength() > max)
        {
            throw new BadRequest(413, "the request body of " + request.getLength() + " bytes is over the limit of " + max + " bytes");
        }
        try
        {
            return Content.Source.asByteArrayAsync(request, (int)max).get();
        }
        catch (final ExecutionException ex)
        {
            throw new BadRequest(413, "the request body is over the limit of " + max + " bytes, or broke off");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new BadRequest(400, "interrupted while reading the request");
        }
    }

    private static Map<String, List<String>> headers(final Request request)
    {
        final Map<String, List<String>> out = new LinkedHashMap<>();
        for (final HttpField field : request.getHeaders())
        {
            out.computeIfAbsent(field.getName(), k -> new ArrayList<>(1)).add(field.getValue());
        }
        return out;
    }

    /**
     * A request the proxy refuses before it reaches a session.
     */
    static final class BadRequest extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        final int status;

        BadRequest(final int status, final String message)
        {
            super(message);
            this.status = status;
        }
    }
}
