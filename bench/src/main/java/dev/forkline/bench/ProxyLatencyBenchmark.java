package dev.forkline.bench;

import dev.forkline.kernel.Store;
import dev.forkline.proxy.ForklineProxy;
import dev.forkline.proxy.ProxyConfig;
import dev.forkline.testkit.ModelTestServer;
import dev.forkline.testkit.Reply;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the proxy adds to a model call: the same chat completion request sent to the local upstream (the testkit's
 * scripted server) directly and through a recording proxy, whole and streamed, from 1 and from 16 client threads.
 * The proxy's added latency at a percentile is {@code proxied} less {@code direct} at that percentile. Every
 * proxied request is recorded (each is a new conversation, so a new session: {@code session.start}, the user
 * message and the model turn), and a streamed one passes through chunk for chunk.
 * <p>
 * Client, upstream and proxy share the machine's cores, so at 16 clients the figures include their contention.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 4)
@Fork(value = 1, jvmArgsAppend = {
    BenchFlags.F0, BenchFlags.F1, BenchFlags.F2, BenchFlags.F3, BenchFlags.F4, BenchFlags.F5, BenchFlags.F6,
    BenchFlags.F7, BenchFlags.F8, BenchFlags.F9, BenchFlags.F10, BenchFlags.ANALYTICS_OFF, "-Xmx2g",
    "-Dslf4j.internal.verbosity=ERROR"})
@State(Scope.Benchmark)
public class ProxyLatencyBenchmark
{
    @Param({"false", "true"})
    public boolean stream;

    private final AtomicLong sequence = new AtomicLong();
    private Path directory;
    private ModelTestServer upstream;
    private Store store;
    private ForklineProxy proxy;
    private HttpClient client;
    private URI direct;
    private URI proxied;

    @Setup(Level.Trial)
    public void start()
    {
        directory = BenchDirs.fresh("proxy-latency");
        upstream = ModelTestServer.start(request -> Reply.text("The answer is 42, as the notes say."));
        store = Store.open(directory);
        proxy = ForklineProxy.start(new ProxyConfig(store).record(URI.create(upstream.openAiBaseUrl())).listen("127.0.0.1", 0));
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        direct = URI.create(upstream.openAiBaseUrl() + "/chat/completions");
        proxied = URI.create(proxy.address() + "/v1/chat/completions");
    }

    @TearDown(Level.Trial)
    public void stop()
    {
        proxy.close();
        store.close();
        upstream.close();
        BenchDirs.delete(directory);
    }

    @Benchmark
    @Threads(1)
    public long direct1() throws IOException, InterruptedException
    {
        return call(direct);
    }

    @Benchmark
    @Threads(1)
    public long proxied1() throws IOException, InterruptedException
    {
        return call(proxied);
    }

    @Benchmark
    @Threads(16)
    public long direct16() throws IOException, InterruptedException
    {
        return call(direct);
    }

    @Benchmark
    @Threads(16)
    public long proxied16() throws IOException, InterruptedException
    {
        return call(proxied);
    }

    /**
     * @return the bytes of the response, read to its end.
     */
    private long call(final URI uri) throws IOException, InterruptedException
    {
        final String body = "{\"model\":\"forkline-test-1\",\"stream\":" + stream + ",\"messages\":[" +
            "{\"role\":\"system\",\"content\":\"You are a careful assistant.\"}," +
            "{\"role\":\"user\",\"content\":\"Read the notes, request " + sequence.incrementAndGet() + ".\"}]}";
        final HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json").header("Authorization", "Bearer sk-bench")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
        long n = 0;
        try (InputStream in = response.body())
        {
            final byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) >= 0)
            {
                n += read;
            }
        }
        if (response.statusCode() != 200)
        {
            throw new IllegalStateException("status " + response.statusCode() + " from " + uri);
        }
        return n;
    }
}
