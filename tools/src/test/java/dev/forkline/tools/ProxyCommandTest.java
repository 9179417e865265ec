package dev.forkline.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forkline.kernel.EventCursor;
import dev.forkline.kernel.Store;
import dev.forkline.testkit.ModelTestServer;
import dev.forkline.testkit.Reply;
import dev.forkline.testkit.Script;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProxyCommandTest
{
    private static final String REQUEST = "{\"model\":\"forkline-test-1\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";

    @TempDir
    Path dir;

    @Test
    void badCommandLinesGetOneLineAndExitTwo()
    {
        final String store = dir.resolve("store").toString();
        assertBad("proxy needs one of --upstream URL", "proxy", "--store", store);
        assertBad("--fork goes live: it needs --upstream URL", "proxy", "--store", store, "--fork", "s@3");
        assertBad("--override goes with --fork", "proxy", "--store", store, "--upstream", "http://127.0.0.1:1", "--override", "x.json");
        assertBad("--listen 'nowhere' is not HOST:PORT", "proxy", "--store", store, "--upstream", "http://127.0.0.1:1", "--listen", "nowhere");
        assertBad("--upstream 'ftp://x' is not an http:// or https:// URL", "proxy", "--store", store, "--upstream", "ftp://x");
        assertBad("--on-divergence is fail or fork", "proxy", "--store", store, "--replay", "--on-divergence", "maybe");
    }

    private static void assertBad(final String message, final String... args)
    {
        final Cli.Result result = Cli.run(args);
        assertEquals(Forkline.EXIT_BAD_INPUT, result.code(), result.err());
        assertTrue(result.err().startsWith("forkline: " + message), result.err());
        assertEquals(1, result.err().strip().split("\n").length, result.err());
    }

    @Test
    void recordsThroughTheCommandThenReplaysWithTheUpstreamStopped() throws Exception
    {
        final Path store = dir.resolve("store");
        final String answer;
        try (ModelTestServer upstream = ModelTestServer.start(Script.inOrder(Reply.text("Hello there."))))
        {
            final Process proxy = Cli.start("proxy", "--store", store.toString(), "--upstream", upstream.openAiBaseUrl(),
                "--listen", "127.0.0.1:0", "--json");
            answer = exchange(proxy);
            assertTrue(answer.contains("Hello there."), answer);
        }
        try (Store read = Store.openReadOnly(store))
        {
            final String session = read.sessions().get(0);
            assertEquals(List.of("session.start", "user", "model.response", "session.end"), kinds(read, session));
        }
        final Process replay = Cli.start("proxy", "--store", store.toString(), "--replay", "--listen", "127.0.0.1:0");
        final BufferedReader lines = Cli.stdout(replay);
        String line;
        String address = null;
        while ((line = lines.readLine()) != null && address == null)
        {
            if (line.startsWith("listening on "))
            {
                address = line.substring("listening on ".length()).split(" ")[0];
            }
        }
        assertTrue(address != null && address.startsWith("http://127.0.0.1:"), String.valueOf(address));
        final HttpResponse<String> response = post(address);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("Hello there."), response.body());
        stop(replay);
    }

    /**
     * Reads the listening line, makes one request, stops the proxy as Ctrl-C does and checks its log.
     */
    private static String exchange(final Process proxy) throws Exception
    {
        final BufferedReader lines = Cli.stdout(proxy);
        final JsonNode listening = Json.MAPPER.readTree(lines.readLine());
        assertEquals("listening", listening.path("event").asText(), listening.toString());
        assertTrue(listening.path("loopback").asBoolean(), listening.toString());
        final HttpResponse<String> response = post(listening.path("address").asText());
        assertEquals(200, response.statusCode(), response.body());
        final JsonNode logged = Json.MAPPER.readTree(lines.readLine());
        assertEquals("record", logged.path("mode").asText(), logged.toString());
        assertEquals(2, logged.path("step").asInt(), logged.toString());
        stop(proxy);
        return response.body();
    }

    private static HttpResponse<String> post(final String address) throws Exception
    {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(address + "/v1/chat/completions"))
            .header("Content-Type", "application/json").header("Authorization", "Bearer sk-test")
            .POST(HttpRequest.BodyPublishers.ofString(REQUEST)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void stop(final Process process) throws InterruptedException
    {
        process.destroy();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the proxy stops on SIGTERM");
        assertTrue(process.exitValue() == 143 || process.exitValue() == 0, "exit " + process.exitValue());
    }

    private static List<String> kinds(final Store store, final String branch)
    {
        final List<String> out = new ArrayList<>();
        try (EventCursor cursor = store.read(branch))
        {
            while (cursor.next())
            {
                out.add(cursor.event().kind().wireName());
            }
        }
        return out;
    }

    @Test
    void theOverrideOfAForkIsReadAsForkReadsIt() throws Exception
    {
        final Path file = dir.resolve("override.json");
        Files.writeString(file, "{\"kind\":\"tool.result\",\"data\":{\"content\":\"7\",\"error\":false}}");
        assertEquals("tool.result " + new dev.forkline.kernel.replay.ToolResult("7", false), ProxyCommand.stepOverride(file).toString());
        Files.writeString(file, "{\"kind\":\"user\",\"data\":{\"content\":\"x\"}}");
        final InputException ex = org.junit.jupiter.api.Assertions.assertThrows(InputException.class, () -> ProxyCommand.stepOverride(file));
        assertTrue(ex.getMessage().contains("overrides a tool.result or a model.response, not a user"), ex.getMessage());
    }
}
