package dev.forkline.proxy;

import java.util.List;
import java.util.Map;

/**
 * A request to an endpoint the proxy does not record (embeddings, files, the upstream's model list): forwarded,
 * and its answer passed back as it arrives.
 */
final class PassThrough
{
    private final ProxyContext proxy;
    private final String method;
    private final String target;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final ClientResponse out;

    PassThrough(
        final ProxyContext proxy,
        final String method,
        final String target,
        final Map<String, List<String>> headers,
        final byte[] body,
        final ClientResponse out)
    {
        this.proxy = proxy;
        this.method = method;
        this.target = target;
        this.headers = headers;
        this.body = body;
        this.out = out;
    }

    void run()
    {
        final long start = System.nanoTime();
        int status;
        try (Upstream.Call call = proxy.upstream.open(method, target, headers, body.length == 0 ? null : body))
        {
            status = call.status();
            out.start(status, call.contentType().isEmpty() ? ClientResponse.JSON : call.contentType(), call.returnedHeaders());
            final byte[] buffer = new byte[8192];
            int n;
            while ((n = call.read(buffer)) >= 0)
            {
                out.write(buffer, 0, n);
            }
        }
        catch (final UpstreamException ex)
        {
            status = ex.status;
            if (!out.started())
            {
                out.send(ex.status, ClientResponse.JSON, null, OpenAiChat.INSTANCE.error("upstream_error", ex.getMessage(), null));
            }
        }
        proxy.log.write(proxy.log.entry("exchange").put("mode", "pass").put("method", method).put("path", target)
            .put("status", status).put("millis", (System.nanoTime() - start) / 1_000_000));
    }
}
