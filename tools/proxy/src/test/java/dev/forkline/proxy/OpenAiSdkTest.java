package dev.forkline.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.errors.UnprocessableEntityException;
import dev.forkline.kernel.Store;
import dev.forkline.kernel.replay.StepOverride;
import dev.forkline.kernel.replay.ToolResult;
import dev.forkline.testkit.ModelTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official OpenAI Java SDK through the proxy: a multi-turn agent with tool calls recorded against a local
 * upstream, replayed with that upstream stopped, forked with an overridden tool result, and a divergence as the
 * SDK reports it.
 */
class OpenAiSdkTest
{
    private static final List<String> AGENT_EVENTS = List.of("session.start", "system", "user", "model.response",
        "tool.result", "model.response", "tool.result", "model.response", "session.end");

    @TempDir
    Path dir;

    /**
     * Records the calculator agent, whole responses.
     *
     * @return the session.
     */
    private String recordCalculator()
    {
        try (ModelTestServer upstream = ModelTestServer.start(CalculatorScript.script());
             ProxyRun run = ProxyRun.record(dir, upstream.openAiBaseUrl()))
        {
            new OpenAiJavaAgent(run.openAiBase(), false).run();
            return run.store.sessions().get(0);
        }
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void recordsAnAgentAndReplaysItWithTheUpstreamStopped(final boolean stream)
    {
        final String session;
        try (ModelTestServer upstream = ModelTestServer.start(CalculatorScript.script());
             ProxyRun run = ProxyRun.record(dir, upstream.openAiBaseUrl()))
        {
            final OpenAiJavaAgent agent = new OpenAiJavaAgent(run.openAiBase(), stream);
            assertEquals("The answer is 20.", agent.run());
            assertEquals(3, upstream.chatRequests().size());
            assertEquals(20 + 5 + 4 > 0 ? 3 : 0, agent.modelCalls);
            assertTrue(agent.last.usage().isPresent(), "usage passed through");
            session = run.store.sessions().get(0);
            assertEquals(1, run.store.sessions().size(), "one session found from the traffic alone");
            run.proxy.close();
            assertEquals(AGENT_EVENTS, ProxyRun.kinds(run.store, session));
            final List<String> events = ProxyRun.events(run.store, session);
            assertTrue(events.get(4).contains("\"name\":\"add\"") && events.get(4).contains("\"content\":\"5\""), events.get(4));
            assertTrue(events.get(6).contains("\"name\":\"multiply\"") && events.get(6).contains("\"content\":\"20\""), events.get(6));
            assertTrue(events.get(7).contains("The answer is 20."), events.get(7));
            assertTrue(events.get(3).contains("\"request_hash\":\"sha256:"), events.get(3));
            assertTrue(events.get(0).contains("\"protocol\":\"openai.chat\""), events.get(0));
        }
        try (ProxyRun replay = ProxyRun.replay(dir))
        {
            final OpenAiJavaAgent again = new OpenAiJavaAgent(replay.openAiBase(), stream);
            assertEquals("The answer is 20.", again.run());
            assertTrue(again.last.usage().isPresent(), "usage replayed");
            replay.proxy.close();
            assertEquals(List.of(session), replay.store.sessions());
            assertTrue(replay.log.stream().noneMatch(line -> line.contains("\"divergence\"")), replay.log.toString());
            assertEquals(3, replay.log.stream().filter(line -> line.contains("\"mode\":\"replay\"")).count(), replay.log.toString());
        }
    }

    @Test
    void aRecordingMadeWithoutStreamingReplaysToAStreamingClient()
    {
        recordCalculator();
        try (ProxyRun replay = ProxyRun.replay(dir))
        {
            assertEquals("The answer is 20.", new OpenAiJavaAgent(replay.openAiBase(), true).run());
        }
    }

    @Test
    void aToolResultThatDiffersOnReplayIsADivergenceTheSdkReports()
    {
        recordCalculator();
        try (ProxyRun replay = ProxyRun.replay(dir))
        {
            final OpenAiJavaAgent changed = new OpenAiJavaAgent(replay.openAiBase(), false);
            changed.wrongBy = 1;
            final UnprocessableEntityException ex = assertThrows(UnprocessableEntityException.class, changed::run);
            assertEquals(422, ex.statusCode());
            assertEquals("forkline_divergence", ex.type().orElse(""));
            final JsonNode body = ex.body().convert(JsonNode.class);
            final JsonNode fields = body.has("error") ? body.get("error") : body;
            assertEquals(4L, fields.path("step").asLong());
            assertEquals("tool_result", fields.path("change").asText());
            assertTrue(fields.path("expected").asText().contains("\"5\""), fields.toString());
            assertTrue(fields.path("actual").asText().contains("\"6\""), fields.toString());
            assertTrue(ex.getMessage().contains("diverged at step 4"), ex.getMessage());
        }
    }

    @Test
    void forksAtAToolResultWithAnOverrideThatTheModelSees()
    {
        final String session = recordCalculator();
        try (ModelTestServer upstream = ModelTestServer.start(CalculatorScript.script());
             ProxyRun fork = ProxyRun.fork(dir, session, 4, StepOverride.toolResult(new ToolResult("7", false)),
                 upstream.openAiBaseUrl()))
        {
            final OpenAiJavaAgent agent = new OpenAiJavaAgent(fork.openAiBase(), true);
            assertEquals("The answer is 28.", agent.run());
            assertEquals(2, upstream.chatRequests().size(), "the first model call was served from the recording");
            assertTrue(upstream.chatRequests().get(0).body().contains("\"content\":\"7\""), upstream.chatRequests().get(0).body());
            fork.proxy.close();
            final String branch = session + "/1";
            assertEquals(4, fork.store.branch(branch).forkStep());
            final List<String> events = ProxyRun.events(fork.store, branch);
            assertEquals(AGENT_EVENTS, ProxyRun.kinds(fork.store, branch));
            assertTrue(events.get(4).contains("\"content\":\"7\""), events.get(4));
            assertTrue(events.get(6).contains("\"content\":\"28\""), events.get(6));
            assertTrue(fork.log.stream().anyMatch(line -> line.contains("\"mode\":\"replay\"")), fork.log.toString());
        }
    }

    @Test
    void underTheForkPolicyADivergenceForksAndGoesLive()
    {
        final String session = recordCalculator();
        try (ModelTestServer upstream = ModelTestServer.start(CalculatorScript.script());
             ProxyRun replay = ProxyRun.replayForking(dir, upstream.openAiBaseUrl()))
        {
            final OpenAiJavaAgent changed = new OpenAiJavaAgent(replay.openAiBase(), false);
            changed.wrongBy = 1;
            assertEquals("The answer is 25.", changed.run());
            assertEquals(2, upstream.chatRequests().size());
            replay.proxy.close();
            final String branch = session + "/1";
            assertEquals(4, replay.store.branch(branch).forkStep());
            assertTrue(ProxyRun.events(replay.store, branch).get(4).contains("\"content\":\"6\""));
            assertTrue(replay.log.stream().anyMatch(line -> line.contains("\"forked\":\"" + branch + "\"")), replay.log.toString());
        }
    }

    @Test
    void theApiKeyGoesUpstreamAndIsNeverStored() throws Exception
    {
        try (ModelTestServer upstream = ModelTestServer.start(CalculatorScript.script());
             ProxyRun run = ProxyRun.record(dir, upstream.openAiBaseUrl()))
        {
            new OpenAiJavaAgent(run.openAiBase(), false).run();
            run.store.commit();
        }
        try (var files = java.nio.file.Files.walk(dir))
        {
            for (final Path file : files.filter(java.nio.file.Files::isRegularFile).toList())
            {
                final String bytes = new String(java.nio.file.Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertFalse(bytes.contains(OpenAiJavaAgent.API_KEY), file + " holds the API key");
            }
        }
    }

    @Test
    void aSessionNamedByHeaderIsRecordedUnderThatName()
    {
        try (ModelTestServer upstream = ModelTestServer.start(CalculatorScript.script());
             ProxyRun run = ProxyRun.record(dir, upstream.openAiBaseUrl()))
        {
            new OpenAiJavaAgent(run.openAiBase(), false).header("X-Forkline-Session", "calc-1").run();
            assertEquals(List.of("calc-1"), run.store.sessions());
        }
        try (Store store = Store.openReadOnly(dir))
        {
            assertEquals(AGENT_EVENTS, ProxyRun.kinds(store, "calc-1"));
        }
    }
}
