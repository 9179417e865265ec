package dev.forkline.proxy;

import com.anthropic.errors.AnthropicServiceException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.forkline.testkit.ModelTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Anthropic's Java SDK through the proxy: tool use recorded as the kernel's events, replayed with the upstream
 * stopped, whole and streamed, and a divergence as the SDK reports it.
 */
class AnthropicSdkTest
{
    @TempDir
    Path dir;

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void recordsToolUseAndReplaysItWithTheUpstreamStopped(final boolean stream)
    {
        final String session;
        try (ModelTestServer upstream = ModelTestServer.start(CalculatorScript.script());
             ProxyRun run = ProxyRun.record(dir, upstream.anthropicBaseUrl()))
        {
            final AnthropicJavaAgent agent = new AnthropicJavaAgent(run.anthropicBase(), stream);
            assertEquals("The answer is 20.", agent.run());
            assertEquals(3, upstream.chatRequests().size());
            assertTrue(agent.last.usage().outputTokens() > 0);
            session = run.store.sessions().get(0);
            run.proxy.close();
            assertEquals(List.of("session.start", "system", "user", "model.response", "tool.result", "model.response",
                "tool.result", "model.response", "session.end"), ProxyRun.kinds(run.store, session));
            final List<String> events = ProxyRun.events(run.store, session);
            assertTrue(events.get(3).contains("\"id\":\"toolu_1_1\"") && events.get(3).contains("\"name\":\"add\""), events.get(3));
            assertTrue(events.get(4).contains("\"tool_call_id\":\"toolu_1_1\"") && events.get(4).contains("\"content\":\"5\""), events.get(4));
            assertTrue(events.get(0).contains("\"protocol\":\"anthropic.messages\""), events.get(0));
        }
        try (ProxyRun replay = ProxyRun.replay(dir))
        {
            final AnthropicJavaAgent again = new AnthropicJavaAgent(replay.anthropicBase(), stream);
            assertEquals("The answer is 20.", again.run());
            assertTrue(again.last.usage().outputTokens() > 0, "usage replayed");
            replay.proxy.close();
            assertTrue(replay.log.stream().noneMatch(line -> line.contains("\"divergence\"")), replay.log.toString());
        }
    }

    @Test
    void aDivergenceReachesTheSdkWithItsStepAndKind()
    {
        try (ModelTestServer upstream = ModelTestServer.start(CalculatorScript.script());
             ProxyRun run = ProxyRun.record(dir, upstream.anthropicBaseUrl()))
        {
            new AnthropicJavaAgent(run.anthropicBase(), true).run();
        }
        try (ProxyRun replay = ProxyRun.replay(dir))
        {
            final AnthropicJavaAgent changed = new AnthropicJavaAgent(replay.anthropicBase(), false);
            changed.wrongBy = 10;
            final AnthropicServiceException ex = assertThrows(AnthropicServiceException.class, changed::run);
            assertEquals(422, ex.statusCode());
            final JsonNode body = ex.body().convert(JsonNode.class);
            final JsonNode error = body.has("error") ? body.get("error") : body;
            assertEquals("forkline_divergence", error.path("type").asText(), body.toString());
            assertEquals(4, error.path("step").asLong(), body.toString());
            assertEquals("tool_result", error.path("change").asText(), body.toString());
            assertTrue(error.path("actual").asText().contains("\"15\""), body.toString());
            assertTrue(ex.getMessage().contains("diverged at step 4"), ex.getMessage());
        }
    }
}
