package dev.forkline.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forkline.testkit.ModelTestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@code openai} package from the npm registry, run by node, through the proxy: the calculator agent recorded
 * whole and streamed, replayed with the upstream stopped, and a divergence as the SDK reports it. The package is
 * installed into {@code target/node-client} from the {@code package.json} and {@code package-lock.json} of
 * {@code src/test/node}; without node on the PATH the test is skipped.
 */
class NodeClientTest
{
    private static final Path SOURCES = Path.of("src", "test", "node");
    private static final Path CLIENT = Path.of("target", "node-client");

    @TempDir
    Path dir;

    @BeforeAll
    static void install() throws Exception
    {
        assumeTrue(found("node") && found("npm"), "node and npm are not on the PATH: the openai npm client cannot run");
        Files.createDirectories(CLIENT);
        final Path lock = CLIENT.resolve("package-lock.json");
        final boolean current = Files.exists(CLIENT.resolve("node_modules/openai/package.json")) && Files.exists(lock) &&
            Files.mismatch(lock, SOURCES.resolve("package-lock.json")) < 0;
        for (final String file : List.of("package.json", "package-lock.json", "calculator-agent.mjs"))
        {
            Files.copy(SOURCES.resolve(file), CLIENT.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!current)
        {
            final Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                .directory(CLIENT.toFile()).redirectErrorStream(true).start();
            final String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(npm.waitFor(180, TimeUnit.SECONDS), "npm ci did not finish in 3 minutes");
            assertEquals(0, npm.exitValue(), "npm ci failed: " + output);
        }
    }

    private static boolean found(final String command)
    {
        try
        {
            final Process process = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        }
        catch (final IOException | InterruptedException ex)
        {
            return false;
        }
    }

    @Test
    void recordsWholeAndStreamedThenReplaysWithTheUpstreamStopped() throws Exception
    {
        try (ModelTestServer upstream = ModelTestServer.start(CalculatorScript.script());
             ProxyRun run = ProxyRun.record(dir, upstream.openAiBaseUrl()))
        {
            assertEquals("The answer is 20.", agent(run.openAiBase(), "whole", 0).path("answer").asText());
            assertEquals("The answer is 20.", agent(run.openAiBase(), "stream", 0).path("answer").asText());
            assertEquals(6, upstream.chatRequests().size());
            assertEquals(2, run.store.sessions().size(), "two runs of the same task are two sessions");
            run.proxy.close();
            for (final String session : run.store.sessions())
            {
                assertEquals(List.of("session.start", "system", "user", "model.response", "tool.result", "model.response",
                    "tool.result", "model.response", "session.end"), ProxyRun.kinds(run.store, session));
            }
        }
        try (ProxyRun replay = ProxyRun.replay(dir))
        {
            assertEquals("The answer is 20.", agent(replay.openAiBase(), "stream", 0).path("answer").asText());
            assertEquals("The answer is 20.", agent(replay.openAiBase(), "whole", 0).path("answer").asText());
            final JsonNode error = agent(replay.openAiBase(), "whole", 3).path("error");
            assertEquals(422, error.path("status").asInt(), error.toString());
            assertEquals("forkline_divergence", error.path("type").asText(), error.toString());
            assertEquals(4, error.path("body").path("step").asInt(), error.toString());
            assertEquals("tool_result", error.path("body").path("change").asText(), error.toString());
        }
    }

    private static JsonNode agent(final String baseUrl, final String mode, final int wrongBy) throws Exception
    {
        final Process node = new ProcessBuilder("node", "calculator-agent.mjs", baseUrl, mode, Integer.toString(wrongBy))
            .directory(CLIENT.toFile()).redirectErrorStream(true).start();
        final String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(node.waitFor(60, TimeUnit.SECONDS), "the node agent did not finish");
        final String last = output.substring(output.lastIndexOf('\n') + 1);
        try
        {
            return ProxyJson.parse(last);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new AssertionError("the node agent printed no JSON: " + output, ex);
        }
    }
}
