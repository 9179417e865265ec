package dev.forkline.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.export.ExportFormat;
import dev.forkline.kernel.export.FormatRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What the agent projects really write, each quirk on its own: the importers accept it and keep its meaning, and every
 * export format stays within its rules for it.
 */
class ImportQuirksTest
{
    @TempDir
    Path dir;

    private String store()
    {
        return dir.resolve("store").toString();
    }

    private void imports(final String format, final Path... files)
    {
        final List<String> args = new ArrayList<>(List.of("import", "--format", format, "--store", store()));
        for (final Path file : files)
        {
            args.add(file.toString());
        }
        final Cli.Result result = Cli.run(args.toArray(String[]::new));
        assertEquals(0, result.code(), result.err());
    }

    private String refused(final String format, final Path file)
    {
        final Cli.Result result = Cli.run("import", "--format", format, "--store", store(), file.toString());
        assertEquals(2, result.code(), result.out());
        assertEquals(1, result.err().lines().count(), result.err());
        assertTrue(result.err().startsWith("forkline: " + file + ":"), result.err());
        return result.err().substring(("forkline: " + file + ":").length()).strip();
    }

    private List<JsonNode> events(final String branch)
    {
        return Fixtures.events(store(), branch);
    }

    private void everyFormatKeepsItsRules()
    {
        for (final ExportFormat format : ExportFormat.values())
        {
            final Cli.Result result = Cli.run("export", "--format", format.formatName(), "--store", store());
            assertEquals(0, result.code(), result.err());
            FormatRules.checkAll(format, result.lines());
        }
    }

    private static JsonNode call(final JsonNode event, final int index)
    {
        return event.get("data").get("tool_calls").get(index);
    }

    @Test
    void aToolCallIdThatALaterTurnUsesAgainKeepsEachResultWithTheCallItAnswers()
    {
        imports("swe-agent", Fixtures.project("swe-agent", "function-calling.traj"));
        imports("openhands", Fixtures.project("openhands", "codeact.json"));
        imports("openai-chat", Fixtures.project("openai-chat", "agent-runs.jsonl"));

        final List<JsonNode> swe = events("function-calling");
        assertEquals(8, Fixtures.assertResultsLinked(swe));
        // call_0 is the id of the demonstration's first call and of five calls of the task
        assertEquals(List.of("search_dir", "bash", "open", "bash", "edit", "submit"), List.of(3, 8, 10, 14, 18, 20).stream()
            .map(step -> swe.get(step + 1).get("data").get("name").asText()).toList(), "each result has its own call's name");
        for (final int step : List.of(3, 8, 10, 14, 18, 20))
        {
            assertEquals("call_0", call(swe.get(step), 0).get("id").asText());
            assertEquals(call(swe.get(step), 0).get("name").asText(), swe.get(step + 1).get("data").get("name").asText());
        }

        final List<JsonNode> openHands = events("codeact");
        assertEquals(5, Fixtures.assertResultsLinked(openHands));
        assertEquals("str_replace_editor", openHands.get(9).get("data").get("name").asText(), "call_0 of the second response");
        assertEquals("execute_bash", openHands.get(10).get("data").get("name").asText(), "call_1 of the second response");

        final List<JsonNode> chat = events("agent-runs-1");
        assertEquals(4, Fixtures.assertResultsLinked(chat));
        assertEquals("read_file", chat.get(6).get("data").get("name").asText());

        everyFormatKeepsItsRules();
        final Cli.Result export = Cli.run("export", "--format", "openai-chat", "--store", store());
        assertTrue(export.err().contains("tool call ids renamed"), export.err());
    }

    @Test
    void anIdTwiceInOneTurnIsStillRefused() throws Exception
    {
        final Path file = dir.resolve("twice.jsonl");
        Files.writeString(file, "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":null," +
            "\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"a\",\"arguments\":\"{}\"}}," +
            "{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"b\",\"arguments\":\"{}\"}}]}]}\n");
        assertEquals("1: messages[1]: tool call id 'c' comes twice in one turn", refused("openai-chat", file));
    }

    @Test
    void anEmptyObservationIsAnEmptyResultAndExportsAsContentTheFormatsAccept() throws Exception
    {
        imports("swe-agent", Fixtures.project("swe-agent", "function-calling.traj"), Fixtures.project("swe-agent", "oldest.traj"));
        imports("openhands", Fixtures.project("openhands", "codeact.json"));
        imports("openai-chat", Fixtures.project("openai-chat", "agent-runs.jsonl"));

        assertEquals("", events("function-calling").get(9).get("data").get("content").asText(), "a tool message with \"\"");
        assertEquals("", events("oldest").get(12).get("data").get("content").asText(), "an observation message with \"\"");
        assertEquals("", events("codeact").get(15).get("data").get("content").asText());
        final JsonNode nullContent = events("agent-runs-1").get(10).get("data");
        assertTrue(nullContent.get("content").isTextual() && nullContent.get("content").asText().isEmpty(),
            "a tool message with null content: " + nullContent);

        everyFormatKeepsItsRules();
        final Cli.Result chat = Cli.run("export", "--format", "openai-chat", "--session", "agent-runs-1", "--store", store());
        final JsonNode messages = Json.parseOrNull(chat.out()).get("messages");
        assertEquals("(no output)", messages.get(3).get("content").asText());
        assertTrue(chat.err().contains("2 empty contents filled"), chat.err());
    }

    @Test
    void assistantTurnsWithCallsAndNoTextAndWithTextAndNoCallsMidEpisode()
    {
        imports("swe-agent", Fixtures.project("swe-agent", "function-calling.traj"), Fixtures.project("swe-agent", "thought-action.traj"));
        imports("openhands", Fixtures.project("openhands", "codeact.json"));

        final List<JsonNode> swe = events("function-calling");
        assertEquals("", swe.get(8).get("data").get("content").asText());
        assertEquals(1, swe.get(8).get("data").get("tool_calls").size());
        assertEquals(0, swe.get(16).get("data").get("tool_calls").size(), "text and no call");
        assertEquals("user", swe.get(17).get("kind").asText(), "the reminder after it is the user's");
        final List<JsonNode> thoughtAction = events("thought-action");
        assertEquals(0, thoughtAction.get(10).get("data").get("tool_calls").size());
        assertEquals("user", thoughtAction.get(11).get("kind").asText(), "the format reminder answers no action");
        final List<JsonNode> openHands = events("codeact");
        assertEquals(List.of("model.response", "model.response"), Fixtures.kinds(openHands.subList(11, 13)),
            "an agent message, then a call without text");
        assertTrue(openHands.get(12).get("data").get("content").isNull());

        everyFormatKeepsItsRules();
        final Cli.Result shareGpt = Cli.run("export", "--format", "sharegpt", "--session", "codeact", "--store", store());
        assertTrue(shareGpt.err().contains("2 turns merged"), "two results of one response, and the message and the call after it: " +
            shareGpt.err());
        final JsonNode chat = Json.parseOrNull(Cli.run("export", "--format", "openai-chat", "--session", "codeact", "--store", store()).out());
        assertTrue(chat.get("messages").get(8).get("content").isNull(), "no text beside calls: null, not \"\"");
    }

    @Test
    void demonstrationsBeforeTheTaskStayDemonstrations()
    {
        imports("swe-agent", Fixtures.project("swe-agent", "oldest.traj"), Fixtures.project("swe-agent", "function-calling.traj"),
            Fixtures.project("swe-agent", "thought-action.traj"));

        final List<JsonNode> oldest = events("oldest");
        assertEquals(List.of("user", "model.response", "tool.result", "model.response", "user"), Fixtures.kinds(oldest.subList(2, 7)),
            "the demonstration's last action has no observation: the task that follows is the user's message");
        for (int step = 2; step <= 5; step++)
        {
            assertTrue(oldest.get(step).get("data").get("demo").asBoolean(), "step " + step + " is flagged");
        }
        assertFalse(oldest.get(6).get("data").has("demo"));
        assertTrue(oldest.get(6).get("data").get("content").asText().startsWith("We're solving the following issue in the repository calc"));
        assertTrue(events("function-calling").get(6).get("data").get("demo").asBoolean(), "a demonstration's tool message");
        assertTrue(events("thought-action").get(2).get("data").get("demo").asBoolean(), "a demonstration in one message");

        everyFormatKeepsItsRules();
        final JsonNode shareGpt = Json.parseOrNull(
            Cli.run("export", "--format", "sharegpt", "--session", "thought-action", "--store", store()).out());
        assertTrue(shareGpt.get("conversations").get(0).get("value").asText()
            .matches("(?s)Here is a demonstration.*\n\nWe're solving the following issue.*"), "demonstration and task in one human turn");
    }

    @Test
    void systemPromptsOfSeveralKilobytesAreKeptWholeAndOpenHandsToolsComeAlong() throws Exception
    {
        imports("swe-agent", Fixtures.project("swe-agent", "oldest.traj"));
        imports("openhands", Fixtures.project("openhands", "codeact.json"));
        imports("openai-chat", Fixtures.project("openai-chat", "agent-runs.jsonl"));

        final String prompt = Json.MAPPER.readTree(Files.readString(Fixtures.project("swe-agent", "oldest.traj")))
            .get("history").get(0).get("content").asText();
        assertTrue(prompt.length() > 3000, "several kilobytes: " + prompt.length());
        assertEquals(prompt, events("oldest").get(1).get("data").get("content").asText());
        final JsonNode system = Json.MAPPER.readTree(Files.readString(Fixtures.project("openhands", "codeact.json"))).get(0);
        assertEquals(system.get("args").get("content").asText(), events("codeact").get(1).get("data").get("content").asText());
        assertEquals(system.get("args").get("tools"), events("codeact").get(0).get("data").get("tools"));

        everyFormatKeepsItsRules();
        final JsonNode chat = Json.parseOrNull(Cli.run("export", "--format", "openai-chat", "--session", "oldest", "--store", store()).out());
        assertEquals(prompt, chat.get("messages").get(0).get("content").asText());
        final JsonNode shareGpt = Json.parseOrNull(Cli.run("export", "--format", "sharegpt", "--session", "codeact", "--store", store()).out());
        assertEquals(system.get("args").get("content").asText(), shareGpt.get("system").asText());
        assertEquals(3, Json.MAPPER.readTree(shareGpt.get("tools").asText()).size());
    }

    @Test
    void nonAsciiAndControlCharactersInObservationsArriveIntact() throws Exception
    {
        imports("swe-agent", Fixtures.project("swe-agent", "function-calling.traj"));
        imports("openhands", Fixtures.project("openhands", "codeact.json"));

        final JsonNode history = Json.MAPPER.readTree(Files.readString(Fixtures.project("swe-agent", "function-calling.traj"))).get("history");
        final List<JsonNode> swe = events("function-calling");
        for (final int entry : List.of(10, 12, 14))
        {
            assertEquals(history.get(entry).get("content").asText(), swe.get(entry + 1).get("data").get("content").asText(),
                "history[" + entry + "]");
        }
        final String binary = swe.get(15).get("data").get("content").asText();
        assertTrue(binary.contains("\u0000\u0000\u0000\u0000\u0007\u0001") && binary.contains("divide\u2028multiply"), binary);
        assertTrue(swe.get(11).get("data").get("content").asText()
            .contains("\u9664\u6cd5\u3068\u639b\u3051\u7b97 (division and multiplication) \ud83e\uddee"));
        assertTrue(swe.get(13).get("data").get("content").asText().contains("\u001b[31mFAILED\u001b[0m"));
        final JsonNode openHands = Json.MAPPER.readTree(Files.readString(Fixtures.project("openhands", "codeact.json")));
        assertEquals(openHands.get(6).get("content").asText(), events("codeact").get(7).get("data").get("content").asText());

        everyFormatKeepsItsRules();
        final String chat = Cli.run("export", "--format", "openai-chat", "--session", "function-calling", "--store", store()).out();
        assertTrue(chat.contains("divide\\u2028multiply"), "a line separator is escaped, not written raw");
        assertEquals(binary, Json.parseOrNull(chat).get("messages").get(14).get("content").asText());
    }

    @Test
    void aLoneSurrogateBecomesTheReplacementCharacter() throws Exception
    {
        final Path file = dir.resolve("lone.jsonl");
        Files.writeString(file, "{\"messages\":[{\"role\":\"user\",\"content\":\"cut \\ud83d here, whole \\ud83d\\ude00\"}," +
            "{\"role\":\"assistant\",\"content\":\"ok\"}]}\n");
        imports("openai-chat", file);
        assertEquals("cut \ufffd here, whole \ud83d\ude00", events("lone-1").get(1).get("data").get("content").asText());
    }

    @Test
    void aByteOrderMarkAndWindowsLineEndsAreRead()
    {
        imports("openai-chat", Fixtures.project("openai-chat", "windows.jsonl"));
        assertEquals("Hola", events("windows-1").get(1).get("data").get("content").asText());
        assertEquals("4", events("windows-2").get(2).get("data").get("content").asText());
    }

    @Test
    void anOpenHandsArrayOutOfIdOrderIsImportedInTheOrderOfItsIds() throws Exception
    {
        imports("openhands", Fixtures.project("openhands", "codeact.json"));
        final ArrayNode original = (ArrayNode)Json.MAPPER.readTree(Files.readString(Fixtures.project("openhands", "codeact.json")));
        final ArrayNode reversed = Json.array();
        for (int i = original.size() - 1; i >= 0; i--)
        {
            reversed.add(original.get(i));
        }
        final Path file = dir.resolve("reversed.json");
        Files.writeString(file, Json.pretty(reversed));
        imports("openhands", file);

        final List<JsonNode> expected = events("codeact");
        final List<JsonNode> actual = events("reversed");
        assertEquals(expected.size(), actual.size());
        for (int step = 1; step < expected.size(); step++)
        {
            assertEquals(expected.get(step).get("data"), actual.get(step).get("data"), "step " + step);
            assertEquals(expected.get(step).get("ts"), actual.get(step).get("ts"), "step " + step);
        }
    }

    @Test
    void anOpenHandsArrayWhoseIdsAndTimesOrCausesDisagreeIsRefusedNamingTheFirstEntryOutOfOrder() throws Exception
    {
        final ArrayNode original = (ArrayNode)Json.MAPPER.readTree(Files.readString(Fixtures.project("openhands", "codeact.json")));

        // reversed, and the ids written again in the order of the array: the times run backwards
        final ArrayNode renumbered = Json.array();
        for (int i = original.size() - 1; i >= 0; i--)
        {
            final ObjectNode event = original.get(i).deepCopy();
            event.put("id", original.size() - 1 - i);
            event.remove("cause");
            renumbered.add(event);
        }
        final Path times = dir.resolve("renumbered.json");
        Files.writeString(times, Json.pretty(renumbered));
        assertEquals("event 2 (entry 2) has a timestamp 2025-03-04T09:00:16.480000Z before that of event 0 " +
            "(2025-03-04T09:00:19.310000Z): its ids and timestamps disagree on the order of events", refused("openhands", times));

        // an observation caused by a later event
        final ArrayNode causes = original.deepCopy();
        ((ObjectNode)causes.get(6)).put("cause", 9);
        final Path cause = dir.resolve("cause.json");
        Files.writeString(cause, Json.pretty(causes));
        assertEquals("event 8 (entry 6): its cause 9 is not an earlier event", refused("openhands", cause));

        final ArrayNode twice = original.deepCopy();
        ((ObjectNode)twice.get(3)).put("id", 2);
        final Path duplicate = dir.resolve("twice.json");
        Files.writeString(duplicate, Json.pretty(twice));
        assertEquals("event 2 comes twice (entries 2 and 3)", refused("openhands", duplicate));

        final ArrayNode noId = original.deepCopy();
        ((ObjectNode)noId.get(4)).put("id", "5");
        final Path text = dir.resolve("text-id.json");
        Files.writeString(text, Json.pretty(noId), StandardCharsets.UTF_8);
        assertEquals("entry 4 of the array has no whole-number \"id\"", refused("openhands", text));
        assertEquals(2, Cli.run("ls", "--store", store()).code(), "nothing was written: no store");
    }
}
