package dev.forkline.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The model server the proxy forwards to, through the JDK's HTTP client. A response body is read as it arrives,
 * so a stream passes to the client chunk for chunk. Bounded: the time to connect and to the response headers, the
 * time without a byte of the body, and the size of a body read whole.
 * <p>
 * Threading: safe from any thread; each {@link Call} belongs to the thread that opened it.
 */
final class Upstream implements AutoCloseable
{
    /** Request headers that are the proxy's own or the connection's, not the client's to the model. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect", "upgrade",
        "transfer-encoding", "keep-alive", "te", "trailer", "proxy-authorization", "proxy-connection", "accept-encoding",
        "http2-settings");
    /** Response headers that describe the upstream connection or an encoding of the body, not its content. */
    private static final Set<String> NOT_RETURNED = Set.of("connection", "content-length", "transfer-encoding",
        "keep-alive", "content-encoding", "date", "server", ":status");

    private final URI base;
    private final Duration timeout;
    private final long maxBodyBytes;
    private final HttpClient client;
    private final ScheduledExecutorService watchdog;
    private final Set<Call> open = ConcurrentHashMap.newKeySet();

    Upstream(final URI base, final Duration timeout, final long maxBodyBytes)
    {
        this.base = base;
        this.timeout = timeout;
        this.maxBodyBytes = maxBodyBytes;
        this.client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
        this.watchdog = Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "forkline-proxy-upstream-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        final long period = Math.max(50, Math.min(1000, timeout.toMillis() / 4));
        watchdog.scheduleAtFixedRate(this::closeIdle, period, period, TimeUnit.MILLISECONDS);
    }

    URI base()
    {
        return base;
    }

    /**
     * Sends a request and waits for the response headers.
     *
     * @param path    the client's path from {@code /v1} on, with its query.
     * @param headers the client's headers; those in {@link #NOT_FORWARDED} and {@code x-forkline-*} stay behind.
     * @throws UpstreamException when the upstream cannot be reached or does not answer in time.
     */
    Call open(final String method, final String path, final Map<String, List<String>> headers, final byte[] body)
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(target(path)).timeout(timeout)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (final Map.Entry<String, List<String>> header : headers.entrySet())
        {
            final String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!NOT_FORWARDED.contains(name) && !name.startsWith("x-forkline-"))
            {
                for (final String value : header.getValue())
                {
                    request.header(header.getKey(), value);
                }
            }
        }
        try
        {
            final HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            final Call call = new Call(response);
            open.add(call);
            return call;
        }
        catch (final HttpTimeoutException ex)
        {
            throw new UpstreamException(504, "the upstream " + base + " did not answer within " + timeout.toSeconds() + " s");
        }
        catch (final ConnectException ex)
        {
            throw new UpstreamException(502, "cannot connect to the upstream " + base + ": " + message(ex));
        }
        catch (final IOException ex)
        {
            throw new UpstreamException(502, "the upstream " + base + " failed: " + message(ex));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new UpstreamException(502, "interrupted while waiting for the upstream");
        }
    }

    private URI target(final String path)
    {
        String prefix = base.toString();
        while (prefix.endsWith("/"))
        {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (prefix.endsWith("/v1") && path.startsWith("/v1"))
        {
            prefix = prefix.substring(0, prefix.length() - 3);
        }
        return URI.create(prefix + path);
    }

    private void closeIdle()
    {
        final long now = System.nanoTime();
        for (final Call call : open)
        {
            if (now - call.lastProgress > timeout.toNanos())
            {
                call.timedOut = true;
                call.close();
            }
        }
    }

    @Override
    public void close()
    {
        watchdog.shutdownNow();
        for (final Call call : open)
        {
            call.close();
        }
    }

    private static String message(final Exception ex)
    {
        return ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    }

    /**
     * An upstream response whose headers have arrived and whose body is read from it.
     */
    final class Call implements AutoCloseable
    {
        private final HttpResponse<InputStream> response;
        private final InputStream body;
        private volatile long lastProgress = System.nanoTime();
        private volatile boolean timedOut;
        private long read;

        private Call(final HttpResponse<InputStream> response)
        {
            this.response = response;
            this.body = response.body();
        }

        int status()
        {
            return response.statusCode();
        }

        /**
         * @return the response headers a client gets back.
         */
        Map<String, List<String>> returnedHeaders()
        {
            final Map<String, List<String>> out = new java.util.LinkedHashMap<>();
            final HttpHeaders headers = response.headers();
            for (final Map.Entry<String, List<String>> header : headers.map().entrySet())
            {
                if (!NOT_RETURNED.contains(header.getKey().toLowerCase(Locale.ROOT)))
                {
                    out.put(header.getKey(), header.getValue());
                }
            }
            return out;
        }

        String contentType()
        {
            return response.headers().firstValue("content-type").orElse("");
        }

        boolean isEventStream()
        {
            return contentType().toLowerCase(Locale.ROOT).startsWith("text/event-stream");
        }

        /**
         * @return the bytes read into {@code buffer}, -1 at the end of the body.
         * @throws UpstreamException when the body stalls past the timeout, breaks off, or grows past the limit.
         */
        int read(final byte[] buffer)
        {
            try
            {
                final int n = body.read(buffer);
                if (n > 0)
                {
                    lastProgress = System.nanoTime();
                    read += n;
                    if (read > maxBodyBytes)
                    {
                        throw new UpstreamException(502, "the upstream response is over the limit of " + maxBodyBytes + " bytes");
                    }
                }
                return n;
            }
            catch (final IOException ex)
            {
                if (timedOut)
                {
                    throw new UpstreamException(504, "the upstream sent nothing for " + timeout.toSeconds() + " s");
                }
                throw new UpstreamException(502, "the upstream response broke off: " + message(ex));
            }
        }

        /**
         * @return the whole body.
         */
        byte[] readAll()
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = read(buffer)) >= 0)
            {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }

        @Override
        public void close()
        {
            open.remove(this);
            try
            {
                body.close();
            }
            catch (final IOException ignored)
            {
                // the connection is dropped either way
            }
        }
    }
}
