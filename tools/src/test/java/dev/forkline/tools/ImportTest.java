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
        final Cli.Result show = Cli.run("show", branch, "--json", "--store", store());
        assertEquals(0, show.code(), show.err());
        return show.lines().stream().map(Json::parseOrNull).toList();
    }

    /**
     * Every tool.result names a tool call an earlier model.response of the branch made, with the same name.
     */
    private static int assertResultsLinked(final List<JsonNode> events)
    {
        final java.util.Map<String, String> calls = new java.util.HashMap<>();
        int results = 0;
        for (final JsonNode event : events)
        {
            final JsonNode data = event.get("data");
            switch (event.get("kind").asText())
            {
                case "model.response" -> data.get("tool_calls").forEach(call ->
                {
                    assertTrue(Json.parseOrNull(call.get("arguments").asText()) != null, "arguments are a JSON string");
                    calls.put(call.get("id").asText(), call.get("name").asText());
                });
                case "tool.result" ->
                {
                    results++;
                    final String id = data.get("tool_call_id").asText();
                    assertTrue(calls.containsKey(id), "result " + id + " answers an earlier call");
                    assertEquals(calls.get(id), data.get("name").asText());
                }
                default ->
                {
                }
            }
        }
        return results;
    }

    @Test
    void everySweAgentFixtureImportsWithLinkedResultsAndOutcomes()
    {
        final Path folder = Cli.FIXTURES.resolve("swe-agent");
        final Cli.Result result = Cli.run("import", "--format", "swe-agent", "--store", store(),
            folder.resolve("function_calling_simple.traj").toString(),
            folder.resolve("sweagenttestrepo-1c2844.traj").toString(),
            folder.resolve("test-repo-i1.traj").toString());
        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().contains("in 3 sessions"), result.out());

        final List<JsonNode> newest = events("function_calling_simple");
        assertEquals(5, assertResultsLinked(newest), "five tool messages, five results");
        final List<JsonNode> middle = events("sweagenttestrepo-1c2844");
        assertEquals(4, assertResultsLinked(middle));
        final List<JsonNode> oldest = events("test-repo-i1");
        assertEquals(4, assertResultsLinked(oldest), "the user observations after actions become results");
        assertEquals("user", oldest.get(2).get("kind").asText(), "a demonstration stays a user message");

        for (final List<JsonNode> session : List.of(middle, oldest))
        {
            final JsonNode outcome = session.get(session.size() - 2);
            assertEquals("outcome", outcome.get("kind").asText());
            assertEquals("submitted", outcome.get("data").get("label").asText());
            assertEquals("session.end", session.get(session.size() - 1).get("kind").asText());
        }
        assertEquals("session.start", newest.get(0).get("kind").asText());
        assertEquals(12 + 2, newest.size(), "12 history messages, start and end, no outcome without info");
    }

    @Test
    void everyOpenHandsFixtureImportsWithLinkedResultsAndTheirTimes()
    {
        final Path folder = Cli.FIXTURES.resolve("openhands");
        final Cli.Result result = Cli.run("import", "--format", "openhands", "--store", store(),
            folder.resolve("basic.json").toString(), folder.resolve("basic_interactions.json").toString(),
            folder.resolve("wrong_initial_state.json").toString());
        assertEquals(0, result.code(), result.err());

        final List<JsonNode> rename = events("wrong_initial_state");
        assertEquals(3, assertResultsLinked(rename));
        assertEquals("2025-01-27T23:16:50.239610Z", rename.get(0).get("ts").asText());
        assertEquals("claude-3-5-sonnet-20241022", rename.get(0).get("data").get("model").asText());
        assertEquals("finished", rename.get(rename.size() - 1).get("data").get("status").asText());

        final List<JsonNode> chat = events("basic_interactions");
        assertEquals(List.of("session.start", "user", "model.response", "user", "model.response", "user",
            "model.response", "session.end"), chat.stream().map(e -> e.get("kind").asText()).toList());
        assertEquals(1, assertResultsLinked(events("basic")));
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
        assertEquals(1, assertResultsLinked(first));
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
        final Path good = Cli.FIXTURES.resolve("swe-agent/test-repo-i1.traj");
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
        assertTrue(twice.err().contains("session 'test-repo-i1' is in the store already"), twice.err());

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
        assertEquals(Set.of("test-repo-i1"), sessions);
    }
}
