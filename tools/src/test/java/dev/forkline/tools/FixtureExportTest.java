package dev.forkline.tools;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The real trajectories of other agent projects import, and export to every training format with lines that
 * keep that format's rules.
 */
class FixtureExportTest
{
    @TempDir
    Path dir;

    private String store()
    {
        return dir.resolve("store").toString();
    }

    private void importFixtures()
    {
        final Path swe = Cli.FIXTURES.resolve("swe-agent");
        final Path openhands = Cli.FIXTURES.resolve("openhands");
        for (final String file : List.of("function_calling_simple.traj", "sweagenttestrepo-1c2844.traj", "test-repo-i1.traj"))
        {
            final Cli.Result result = Cli.run("import", "--format", "swe-agent", swe.resolve(file).toString(), "--store", store());
            assertEquals(0, result.code(), result.err());
        }
        for (final String file : List.of("basic.json", "basic_interactions.json", "wrong_initial_state.json"))
        {
            final Cli.Result result = Cli.run("import", "--format", "openhands", openhands.resolve(file).toString(), "--store", store());
            assertEquals(0, result.code(), result.err());
        }
    }

    private List<JsonNode> export(final String format)
    {
        final Cli.Result result = Cli.run("export", "--format", format, "--store", store());
        assertEquals(0, result.code(), result.err());
        final List<JsonNode> lines = result.lines().stream().map(Json::parseOrNull).toList();
        for (int i = 0; i < lines.size(); i++)
        {
            assertNotNull(lines.get(i), format + " line " + (i + 1) + " is JSON");
        }
        return lines;
    }

    /** The rules of an OpenAI chat message list: roles, tool calls, their results, weights. */
    private static void assertChatMessages(final JsonNode messages, final String where)
    {
        assertTrue(messages.isArray() && messages.size() > 0, where + ": messages");
        final Set<String> calls = new HashSet<>();
        for (final JsonNode message : messages)
        {
            final String role = message.path("role").asText();
            assertTrue(Set.of("system", "user", "assistant", "tool").contains(role), where + ": role " + role);
            if (message.has("weight"))
            {
                assertEquals("assistant", role, where + ": weight only on assistant messages");
                assertTrue(message.get("weight").asInt() == 0 || message.get("weight").asInt() == 1);
            }
            for (final JsonNode call : message.path("tool_calls"))
            {
                assertEquals("assistant", role);
                assertEquals("function", call.path("type").asText(), where);
                assertNotNull(Json.parseOrNull(call.path("function").path("arguments").asText()), where + ": arguments are JSON");
                calls.add(call.path("id").asText());
            }
            if (role.equals("tool"))
            {
                assertTrue(calls.contains(message.path("tool_call_id").asText()),
                    where + ": tool_call_id " + message.path("tool_call_id") + " refers to an earlier call");
            }
        }
    }

    @Test
    void everyFixtureExportsToEveryFormat() throws Exception
    {
        importFixtures();
        final Cli.Result sessions = Cli.run("ls", "--json", "--store", store());
        assertEquals(6, Json.parseOrNull(sessions.out()).size());

        final List<JsonNode> chat = export("openai-chat");
        assertFalse(chat.isEmpty());
        for (int i = 0; i < chat.size(); i++)
        {
            assertChatMessages(chat.get(i).get("messages"), "openai-chat line " + (i + 1));
        }
        final List<JsonNode> trl = export("trl-messages");
        assertEquals(chat.size(), trl.size(), "one example a branch in both");
        for (final JsonNode line : trl)
        {
            assertTrue(line.get("messages").isArray());
        }
        for (final JsonNode line : export("sharegpt"))
        {
            for (final JsonNode turn : line.get("conversations"))
            {
                assertTrue(Set.of("human", "gpt", "function_call", "observation", "system").contains(turn.path("from").asText()),
                    turn.toString());
                assertTrue(turn.get("value").isTextual());
            }
        }
        // no forks among the fixtures: no preference pairs, and an empty file is a valid one
        assertEquals(List.of(), export("openai-preference"));

        final Cli.Result events = Cli.run("export", "--format", "events", "--no-redact", "--store", store());
        final Path file = dir.resolve("events.jsonl");
        Files.writeString(file, events.out());
        final String other = dir.resolve("other").toString();
        assertEquals(0, Cli.run("import", "--format", "events", file.toString(), "--store", other).code());
        assertEquals(events.out(), Cli.run("export", "--format", "events", "--no-redact", "--store", other).out(),
            "events export, import, export: the same bytes");
    }
}
