package dev.forkline.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forkline.kernel.Store;
import dev.forkline.testkit.LocalHttpServer;
import dev.forkline.testkit.ModelTestServer;
import dev.forkline.testkit.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proxy's edges with a plain HTTP client: upstream errors passed through and recorded (and replayed),
 * timeouts, size limits, the model list, path-named sessions, redaction, and many sessions at once.
 */
class ProxyBehaviourTest
{
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path dir;

    private static HttpResponse<String> post(final String url, final String body) throws Exception
    {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
            .header("Authorization", "Bearer sk-test").timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String chat(final String user)
    {
        return "{\"model\":\"forkline-test-1\",\"messages\":[{\"role\":\"user\",\"content\":\"" + user + "\"}]}";
    }

    @Test
    void anUpstreamErrorIsPassedThroughRecordedAndReplayed() throws Exception
    {
        final AtomicInteger calls = new AtomicInteger();
        final String session;
        try (ModelTestServer upstream = ModelTestServer.start(request ->
        {
            if (calls.getAndIncrement() == 0)
            {
                throw new IllegalStateException("overloaded");
            }
            return Reply.text("Hello.");
        });
             ProxyRun run = ProxyRun.record(dir, upstream.openAiBaseUrl()))
        {
            final HttpResponse<String> failed = post(run.openAiBase() + "/chat/completions", chat("Hi"));
            assertEquals(500, failed.statusCode());
            assertTrue(failed.body().contains("overloaded"), failed.body());
            final HttpResponse<String> retried = post(run.openAiBase() + "/chat/completions", chat("Hi"));
            assertEquals(200, retried.statusCode(), retried.body());
            assertEquals(1, run.store.sessions().size(), "the retry continues the session");
            session = run.store.sessions().get(0);
            run.proxy.close();
            final List<String> events = ProxyRun.events(run.store, session);
            assertEquals(List.of("session.start", "user", "effect", "model.response", "session.end"), ProxyRun.kinds(run.store, session));
            assertTrue(events.get(2).contains("\"name\":\"upstream.error\"") && events.get(2).contains("\"status\":500") &&
                events.get(2).contains("overloaded"), events.get(2));
        }
        try (ProxyRun replay = ProxyRun.replay(dir))
        {
            final HttpResponse<String> failed = post(replay.openAiBase() + "/chat/completions", chat("Hi"));
            assertEquals(500, failed.statusCode());
            assertTrue(failed.body().contains("overloaded"), failed.body());
            final HttpResponse<String> retried = post(replay.openAiBase() + "/chat/completions", chat("Hi"));
            assertEquals(200, retried.statusCode(), retried.body());
            assertTrue(retried.body().contains("Hello."), retried.body());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"openai", "anthropic"})
    void aTurnCutAtItsTokenLimitReplaysWithTheFinishReasonItWasRecordedWith(final String protocol) throws Exception
    {
        final boolean openAi = "openai".equals(protocol);
        final String body = openAi ? chat("Hi") :
            "{\"model\":\"forkline-test-1\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        final String expected = openAi ? "\"finish_reason\":\"length\"" : "\"stop_reason\":\"max_tokens\"";
        try (ModelTestServer upstream = ModelTestServer.start(request -> Reply.text("Once upon a").finishReason("length"));
             ProxyRun run = ProxyRun.record(dir, openAi ? upstream.openAiBaseUrl() : upstream.anthropicBaseUrl()))
        {
            final HttpResponse<String> recorded = post(path(run, openAi), body);
            assertTrue(recorded.body().contains(expected), recorded.body());
        }
        try (ProxyRun replay = ProxyRun.replay(dir))
        {
            final HttpResponse<String> whole = post(path(replay, openAi), body);
            assertTrue(whole.body().contains(expected), "whole: " + whole.body());
        }
        try (ProxyRun replay = ProxyRun.replay(dir))
        {
            final HttpResponse<String> streamed = post(path(replay, openAi), body.replace("{\"model\"", "{\"stream\":true,\"model\""));
            assertTrue(streamed.body().contains(expected), "streamed: " + streamed.body());
        }
    }

    private static String path(final ProxyRun run, final boolean openAi)
    {
        return openAi ? run.openAiBase() + "/chat/completions" : run.anthropicBase() + "/v1/messages";
    }

    @Test
    void anUpstreamThatCannotBeReachedOrStallsIsABoundedError() throws Exception
    {
        final CountDownLatch release = new CountDownLatch(1);
        try (LocalHttpServer stalled = LocalHttpServer.builder().route("POST", "/v1/chat/completions", exchange ->
        {
            try
            {
                release.await(20, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }).start();
             Store store = Store.open(dir);
             ForklineProxy proxy = ForklineProxy.start(new ProxyConfig(store).record(URI.create(stalled.url("/v1")))
                 .listen("127.0.0.1", 0).upstreamTimeout(Duration.ofMillis(300))))
        {
            final HttpResponse<String> response = post(proxy.address() + "/v1/chat/completions", chat("Hi"));
            release.countDown();
            assertEquals(504, response.statusCode(), response.body());
            assertTrue(response.body().contains("did not answer within"), response.body());
        }
        try (Store store = Store.open(dir.resolve("other"));
             ForklineProxy proxy = ForklineProxy.start(new ProxyConfig(store).record(URI.create("http://127.0.0.1:1/v1"))
                 .listen("127.0.0.1", 0)))
        {
            final HttpResponse<String> response = post(proxy.address() + "/v1/chat/completions", chat("Hi"));
            assertEquals(502, response.statusCode(), response.body());
            assertTrue(response.body().contains("cannot connect to the upstream"), response.body());
        }
    }

    @Test
    void requestsOverTheLimitAndMalformedOnesAreRefused() throws Exception
    {
        try (ModelTestServer upstream = ModelTestServer.start(request -> Reply.text("Hello."));
             Store store = Store.open(dir);
             ForklineProxy proxy = ForklineProxy.start(new ProxyConfig(store).record(URI.create(upstream.openAiBaseUrl()))
                 .listen("127.0.0.1", 0).maxBytes(1000, 1_000_000)))
        {
            final HttpResponse<String> big = post(proxy.address() + "/v1/chat/completions", chat("x".repeat(2000)));
            assertEquals(413, big.statusCode(), big.body());
            final HttpResponse<String> notJson = post(proxy.address() + "/v1/chat/completions", "{nope");
            assertEquals(400, notJson.statusCode(), notJson.body());
            final HttpResponse<String> noMessages = post(proxy.address() + "/v1/chat/completions", "{\"model\":\"m\"}");
            assertEquals(400, noMessages.statusCode(), noMessages.body());
            assertTrue(noMessages.body().contains("needs \\\"messages\\\""), noMessages.body());
            assertEquals(0, upstream.requestCount());
            assertTrue(store.sessions().isEmpty());
        }
    }

    @Test
    void listsTheUpstreamsModelsWhenRecordingAndTheRecordedOnesOnReplay() throws Exception
    {
        try (ModelTestServer upstream = ModelTestServer.start(request -> Reply.text("Hello."));
             ProxyRun run = ProxyRun.record(dir, upstream.openAiBaseUrl()))
        {
            final HttpResponse<String> models = HTTP.send(HttpRequest.newBuilder(URI.create(run.openAiBase() + "/models")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, models.statusCode());
            assertTrue(models.body().contains(ModelTestServer.MODEL), models.body());
            assertEquals(200, post(run.openAiBase() + "/chat/completions", chat("Hi")).statusCode());
        }
        try (ProxyRun replay = ProxyRun.replay(dir))
        {
            final HttpResponse<String> models = HTTP.send(HttpRequest.newBuilder(URI.create(replay.openAiBase() + "/models")).build(),
                HttpResponse.BodyHandlers.ofString());
            final JsonNode list = ProxyJson.parse(models.body());
            assertEquals(ModelTestServer.MODEL, list.path("data").path(0).path("id").asText(), models.body());
            final HttpResponse<String> unknown = post(replay.openAiBase() + "/embeddings", "{}");
            assertEquals(404, unknown.statusCode(), unknown.body());
        }
    }

    @Test
    void aPathPrefixNamesTheSessionAndSecretsAreRedactedInTheStore() throws Exception
    {
        try (ModelTestServer upstream = ModelTestServer.start(request -> Reply.text("Hello."));
             ProxyRun run = ProxyRun.record(dir, upstream.openAiBaseUrl()))
        {
            final String secret = "sk-proj-abcdefghijklmnopqrstuvwxyz0123";
            final HttpResponse<String> response = post(run.proxy.address() + "/s/named-1/v1/chat/completions", chat("my key is " + secret));
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("named-1", response.headers().firstValue("X-Forkline-Branch").orElse(""));
            assertEquals(List.of("named-1"), run.store.sessions());
            final List<String> events = ProxyRun.events(run.store, "named-1");
            assertTrue(events.get(1).contains("my key is [REDACTED]"), events.get(1));
            assertFalse(String.join("\n", events).contains(secret));
            assertTrue(upstream.chatRequests().get(0).body().contains(secret), "the upstream gets the request as sent");
        }
    }

    @Test
    void sixteenAgentsAtOnceAreSixteenSessionsAndReplayAtOnce() throws Exception
    {
        final int agents = 16;
        try (ModelTestServer upstream = ModelTestServer.start(CalculatorScript.script());
             ProxyRun run = ProxyRun.record(dir, upstream.openAiBaseUrl()))
        {
            assertEquals(Set.of("The answer is 20."), runAll(agents, () -> new OpenAiJavaAgent(run.openAiBase(), true).run()));
            assertEquals(agents, run.store.sessions().size());
            assertEquals(agents * 3, upstream.chatRequests().size());
        }
        try (ProxyRun replay = ProxyRun.replay(dir))
        {
            assertEquals(Set.of("The answer is 20."), runAll(agents, () -> new OpenAiJavaAgent(replay.openAiBase(), false).run()));
            replay.proxy.close();
            assertTrue(replay.log.stream().noneMatch(line -> line.contains("\"divergence\"")), String.join("\n", replay.log));
        }
    }

    private static Set<String> runAll(final int n, final java.util.concurrent.Callable<String> agent) throws Exception
    {
        final ExecutorService pool = Executors.newFixedThreadPool(n);
        try
        {
            final List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++)
            {
                answers.add(pool.submit(agent));
            }
            final Set<String> out = new HashSet<>();
            for (final Future<String> answer : answers)
            {
                out.add(answer.get(60, TimeUnit.SECONDS));
            }
            return out;
        }
        finally
        {
            pool.shutdownNow();
        }
    }
}
