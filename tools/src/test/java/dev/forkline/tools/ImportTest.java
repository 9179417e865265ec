package dev.forkline.tools;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class ImportTest
{
    @TempDir
    Path dir;

    private String store()
    {
        return dir.resolve("store").toString();
    }

    private List<JsonNode> events(final String branch)
    {
        return Fixtures.events(store(), branch);
    }

    @Test
    void everySweAgentGenerationImportsWithLinkedResultsAndOutcomes()
    {
        final Cli.Result result = Cli.run("import", "--format", "swe-agent", "--store", store(),
            Fixtures.project("swe-agent", "function-calling.traj").toString(),
            Fixtures.project("swe-agent", "thought-action.traj").toString(),
            Fixtures.project("swe-agent", "oldest.traj").toString());
        assertEquals(0, result.code(), result.err());
        assertEquals("imported 61 events in 3 sessions: function-calling, thought-action, oldest\n", result.out());

        final List<JsonNode> newest = events("function-calling");
        assertEquals(8, Fixtures.assertResultsLinked(newest), "eight tool messages, eight results, two of a demonstration");
        assertEquals("gpt-4o-2024-08-06", newest.get(0).get("data").get("model").asText(), "from replay_config, a JSON string");
        final List<JsonNode> middle = events("thought-action");
        assertEquals(5, Fixtures.assertResultsLinked(middle), "observations answer actions; the last action has none");
        assertEquals("claude-3-5-sonnet-20241022", middle.get(0).get("data").get("model").asText(), "from replay_config, an object");
        final JsonNode action = middle.get(4).get("data").get("tool_calls").get(0);
        assertEquals("find_file", action.get("name").asText(), "an action becomes a call named after its first word");
        assertEquals("{\"command\":\"find_file ops.py\\n\"}", action.get("arguments").asText());
        final List<JsonNode> oldest = events("oldest");
        assertEquals(5, Fixtures.assertResultsLinked(oldest), "the user observations after actions become results");

        for (final List<JsonNode> session : List.of(newest, middle, oldest))
        {
            final JsonNode outcome = session.get(session.size() - 2);
            assertEquals("outcome", outcome.get("kind").asText());
            assertTrue(outcome.get("data").get("reward").isNull(), "the file does not say whether the task was solved");
            assertEquals(session.get(session.size() - 1).get("data").get("status").asText(), outcome.get("data").get("label").asText());
        }
        assertEquals("submitted (exit_cost)", middle.get(middle.size() - 1).get("data").get("status").asText());
    }

    @Test
    void everyOpenHandsFixtureImportsWithLinkedResultsToolsAndTheirTimes()
    {
        final Cli.Result result = Cli.run("import", "--format", "openhands", "--store", store(),
            Fixtures.project("openhands", "codeact.json").toString(), Fixtures.project("openhands", "messages.json").toString());
        assertEquals(0, result.code(), result.err());

        final List<JsonNode> run = events("codeact");
        assertEquals(5, Fixtures.assertResultsLinked(run));
        final JsonNode start = run.get(0).get("data");
        assertEquals("2025-03-04T09:00:00.100200Z", run.get(0).get("ts").asText());
        assertEquals("openai/qwen2.5-coder-32b-instruct", start.get("model").asText());
        assertEquals(List.of("execute_bash", "str_replace_editor", "finish"), start.get("tools").findValuesAsText("name"),
            "the tools of the system action");
        assertEquals(List.of("session.start", "system", "user", "effect", "effect", "effect", "model.response", "tool.result",
            "model.response", "tool.result", "tool.result", "model.response", "model.response", "tool.result", "model.response",
            "tool.result", "model.response", "effect", "session.end"), Fixtures.kinds(run));
        assertEquals(List.of("call_0", "call_1"), run.get(8).get("data").get("tool_calls").findValuesAsText("id"),
            "two actions of one model response: one model.response with both calls");
        assertEquals(4390, run.get(8).get("data").get("usage").get("prompt_tokens").asInt());
        assertEquals("finished", run.get(run.size() - 1).get("data").get("status").asText());

        final List<JsonNode> chat = events("messages");
        assertEquals(List.of("session.start", "user", "model.response", "user", "model.response", "user",
            "model.response", "session.end"), Fixtures.kinds(chat));
        assertEquals("Und auf Deutsch? \u00c4rgerlich, oder? \ud83d\ude05", chat.get(3).get("data").get("content").asText());
        assertEquals("2025-03-04T09:00:30.006Z", chat.get(3).get("ts").asText());
    }

    @Test
    void openAiChatLinesBecomeSessionsAndEventsRoundTripByteForByte() throws IOException
    {
        final Path chat = dir.resolve("chat.jsonl");
        Files.writeString(chat, String.join("\n",
            "{\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"ls?\"}," +
                "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\"," +
                "\"function\":{\"name\":\"ls\",\"arguments\":\"{}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"c1\"," +
                "\"content\":\"a.py\"},{\"role\":\"assistant\",\"content\":\"one file \\u00e9\",\"weight\":1}]," +
                "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"ls\"}}]}",
            "",
            "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}", ""));
        assertEquals(0, Cli.run("import", "--format", "openai-chat", "--store", store(), chat.toString()).code());
        final List<JsonNode> first = events("chat-1");
        assertEquals(1, Fixtures.assertResultsLinked(first));
        assertEquals("ls", first.get(0).get("data").get("tools").get(0).get("function").get("name").asText());
        assertEquals("hi", events("chat-3").get(1).get("data").get("content").asText());

        // fork one session so that the round trip carries a fork line
        assertEquals(0, Cli.run("fork", "chat-1@3", "--reason", "retry", "--store", store()).code());
        final Path exported = dir.resolve("a.jsonl");
        assertEquals(0, Cli.run("export", "--format", "events", "-o", exported.toString(), "--store", store()).code());
        final String other = dir.resolve("other").toString();
        final Cli.Result imported = Cli.run("import", "--format", "events", "--store", other, exported.toString());
        assertEquals(0, imported.code(), imported.err());
        final Cli.Result again = Cli.run("export", "--store", other);
        assertEquals(Files.readString(exported), again.out(), "events import then export gives the same bytes");
        assertTrue(again.out().contains("\"kind\":\"fork\""));
    }

    @Test
    void anEventsFileWithForksImportsAndKeepsItsSteps() throws IOException
    {
        final Path file = dir.resolve("e.jsonl");
        final String text = String.join("\n",
            "{\"session\":\"t\",\"branch\":\"t\",\"step\":0,\"kind\":\"session.start\",\"ts\":\"2026-11-29T17:00:00.000001Z\",\"data\":{\"agent\":\"x\"}}",
            "{\"session\":\"t\",\"branch\":\"t\",\"step\":1,\"kind\":\"user\",\"ts\":\"2026-11-29T17:00:00.000002Z\",\"data\":{\"content\":\"a\"}}",
            "{\"session\":\"t\",\"branch\":\"t\",\"step\":2,\"kind\":\"user\",\"ts\":\"2026-11-29T17:00:00.000003Z\",\"data\":{\"content\":\"b\"}}",
            "{\"session\":\"t\",\"branch\":\"t/1\",\"step\":2,\"kind\":\"fork\",\"ts\":\"2026-11-29T17:00:00.000004Z\",\"data\":{\"parent\":\"t\",\"at\":2,\"reason\":null}}",
            "{\"session\":\"t\",\"branch\":\"t/1\",\"step\":2,\"kind\":\"user\",\"ts\":\"2026-11-29T17:00:00.123456789Z\",\"data\":{\"content\":\"c\"}}",
            "{\"session\":\"t\",\"branch\":\"t\",\"step\":3,\"kind\":\"outcome\",\"ts\":\"2026-11-29T17:00:00.000006Z\",\"data\":{\"reward\":1.50,\"label\":\"ok\"}}",
            "");
        Files.writeString(file, text);
        assertEquals(0, Cli.run("import", "--format", "events", "--store", store(), file.toString()).code());
        assertEquals(text, Cli.run("export", "--store", store()).out());
        final Cli.Result tree = Cli.run("tree", "t", "--store", store());
        assertEquals(List.of("t  4 steps  ok reward=1.5", "└── t/1  @2  3 steps"), tree.lines());
    }

    @Test
    void malformedInputsFailWithFileAndLineAndLeaveTheStoreUnchanged() throws IOException
    {
        final Path good = Fixtures.project("swe-agent", "oldest.traj");
        final Path broken = dir.resolve("broken.traj");
        Files.writeString(broken, "{\"history\": [\n  {\"role\": \"user\", \"content\": \"x\"},\n  oops\n]}");
        final Cli.Result result = Cli.run("import", "--format", "swe-agent", "--store", store(), good.toString(), broken.toString());
        assertEquals(2, result.code());
        assertTrue(result.err().startsWith("forkline: " + broken + ":3: not JSON"), result.err());
        assertEquals(1, result.err().lines().count(), "one line, no stack trace");
        assertEquals(2, Cli.run("ls", "--store", store()).code(), "the store was not even created");

        assertEquals(0, Cli.run("import", "--format", "swe-agent", "--store", store(), good.toString()).code());
        final String before = Cli.run("export", "--store", store()).out();

        final Path events = dir.resolve("bad.jsonl");
        Files.writeString(events,
            "{\"session\":\"u\",\"branch\":\"u\",\"step\":0,\"kind\":\"session.start\",\"ts\":\"2026-11-29T17:00:00Z\",\"data\":{}}\n" +
            "{\"session\":\"u\",\"branch\":\"u\",\"step\":5,\"kind\":\"user\",\"ts\":\"2026-11-29T17:00:00Z\",\"data\":{}}\n");
        final Cli.Result badStep = Cli.run("import", "--format", "events", "--store", store(), events.toString());
        assertEquals(2, badStep.code());
        assertEquals("forkline: " + events + ":2: step 5 of u should be 1\n", badStep.err());

        final Cli.Result twice = Cli.run("import", "--format", "swe-agent", "--store", store(), good.toString());
        assertEquals(2, twice.code());
        assertTrue(twice.err().contains("session 'oldest' is in the store already"), twice.err());

        final Cli.Result notOpenHands = Cli.run("import", "--format", "openhands", "--store", store(), good.toString());
        assertEquals(2, notOpenHands.code());
        assertTrue(notOpenHands.err().contains("not a JSON array of OpenHands events"), notOpenHands.err());

        final Cli.Result format = Cli.run("import", "--format", "csv", "--store", store(), good.toString());
        assertEquals(2, format.code());
        assertEquals("forkline: unknown import format 'csv' (expected one of: events, swe-agent, openhands, openai-chat)\n",
            format.err());

        final Cli.Result missing = Cli.run("import", "--format", "events", "--store", store(), dir.resolve("nope").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nope: no such file"), missing.err());

        assertEquals(before, Cli.run("export", "--store", store()).out(), "no failed import wrote anything");
        final Set<String> sessions = new HashSet<>();
        Json.parseOrNull(Cli.run("ls", "--json", "--store", store()).out()).forEach(s -> sessions.add(s.get("session").asText()));
        assertEquals(Set.of("oldest"), sessions);
    }
}
