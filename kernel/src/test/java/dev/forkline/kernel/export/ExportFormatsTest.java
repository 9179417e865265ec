package dev.forkline.kernel.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;

import static dev.forkline.kernel.export.FormatRules.MAPPER;
import static org.junit.jupiter.api.Assertions.*;

class ExportFormatsTest
{
    @TempDir
    static Path dir;
    private static Store store;

    @BeforeAll
    static void buildStore()
    {
        store = Store.open(dir.resolve("store"));
        ExportFixture.build(store);
    }

    @AfterAll
    static void closeStore()
    {
        store.close();
    }

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    void everyLineFollowsTheRulesOfItsFormatAndTheOutputIsDeterministic(final ExportFormat format)
    {
        final ExportFixture.Output first = ExportFixture.export(store, new ExportOptions().format(format));
        final List<String> lines = first.lines();
        assertFalse(lines.isEmpty());
        FormatRules.checkAll(format, lines);
        assertEquals(lines.size(), first.summary().examples());
        assertEquals(first.bytes().length, first.summary().bytes());
        assertArrayEquals(first.bytes(), ExportFixture.export(store, new ExportOptions().format(format)).bytes(),
            "same store and options, same bytes");
    }

    @Test
    void openAiChatHasOneLinePerBranchWithItsMessagesInOrder() throws Exception
    {
        final List<String> lines = ExportFixture.export(store, new ExportOptions()).lines();
        assertEquals(5, lines.size(), "four branches of s1 and s2");
        final JsonNode s1 = MAPPER.readTree(lines.get(0));
        final List<String> roles = s1.get("messages").findValuesAsText("role");
        assertEquals(List.of("system", "user", "assistant", "tool", "assistant", "tool", "assistant"), roles);
        assertEquals("rm -rf .", MAPPER.readTree(s1.get("messages").get(4).get("tool_calls").get(0).get("function")
            .get("arguments").asText()).get("cmd").asText());
        assertEquals(2, s1.get("tools").size());
        assertEquals("cat", s1.get("tools").get(1).get("function").get("name").asText(), "a bare function schema is wrapped");

        final JsonNode s13 = MAPPER.readTree(lines.get(3));
        assertEquals("a.py b.py", s13.get("messages").get(3).get("content").asText(), "the fork's own tool result");
        assertEquals("Two files.", s13.get("messages").get(4).get("content").asText());
    }

    @Test
    void trlAndShareGptCarryTheSameConversation() throws Exception
    {
        final JsonNode trl = MAPPER.readTree(
            ExportFixture.export(store, new ExportOptions().format(ExportFormat.TRL_MESSAGES)).lines().get(1));
        final JsonNode call = trl.get("messages").get(2).get("tool_calls").get(0).get("function");
        assertEquals(".", call.get("arguments").get("path").asText(), "TRL arguments are an object");

        final JsonNode gpt = MAPPER.readTree(
            ExportFixture.export(store, new ExportOptions().format(ExportFormat.SHAREGPT)).lines().get(1));
        assertEquals("You fix bugs.", gpt.get("system").asText());
        assertEquals(List.of("human", "function_call", "observation", "function_call", "observation", "gpt"),
            gpt.get("conversations").findValuesAsText("from"));
        assertEquals("ls", MAPPER.readTree(gpt.get("conversations").get(1).get("value").asText()).get("name").asText());
        assertEquals("cat", MAPPER.readTree(gpt.get("tools").asText()).get(1).get("name").asText());
    }

    @Test
    void toleratesTheShapesImportersWrite(@TempDir final Path other) throws Exception
    {
        try (Store odd = Store.open(other))
        {
            final BranchWriter s = odd.startSession("odd", "{\"tools\":[{\"name\":\"run\"}]}");
            s.append(EventKind.USER, "{\"content\":[{\"type\":\"text\",\"text\":\"part one\"},{\"type\":\"text\",\"text\":\"two\"}]}");
            s.append(EventKind.MODEL_RESPONSE, "{\"content\":null,\"tool_calls\":[" +
                "{\"id\":\"x1\",\"type\":\"function\",\"function\":{\"name\":\"run\",\"arguments\":{\"cmd\":\"ls\"}}}," +
                "{\"name\":\"run\",\"arguments\":\"ls -la\"}]}");
            s.append(EventKind.TOOL_RESULT, "{\"name\":\"run\",\"content\":\"out1\"}");
            s.append(EventKind.TOOL_RESULT, "{\"tool_call_id\":\"nowhere\",\"name\":\"other\",\"content\":\"orphan\"}");
            s.append(EventKind.TOOL_RESULT, "{\"tool_call_id\":\"call_2_1\",\"content\":{\"rows\":2}}");
            s.append(EventKind.CLOCK, "{\"value\":5}");
            s.append(EventKind.MODEL_RESPONSE, "{}");
            s.append(EventKind.EFFECT, new byte[] {1, 2, 3});
            s.end("done");
            odd.commit();

            for (final ExportFormat format : List.of(ExportFormat.OPENAI_CHAT, ExportFormat.TRL_MESSAGES, ExportFormat.SHAREGPT))
            {
                FormatRules.checkAll(format, ExportFixture.export(odd, new ExportOptions().format(format)).lines());
            }
            final JsonNode line = MAPPER.readTree(ExportFixture.export(odd, new ExportOptions()).lines().get(0));
            final JsonNode messages = line.get("messages");
            assertEquals("part one\ntwo", messages.get(0).get("content").asText());
            assertTrue(messages.get(1).get("content").isNull());
            final JsonNode calls = messages.get(1).get("tool_calls");
            assertEquals("{\"cmd\":\"ls\"}", calls.get(0).get("function").get("arguments").asText());
            assertEquals("ls -la", MAPPER.readTree(calls.get(1).get("function").get("arguments").asText()).asText(),
                "arguments that are not JSON become a JSON string");
            assertEquals("call_2_1", calls.get(1).get("id").asText(), "a missing id is made from the step");
            assertEquals("x1", messages.get(2).get("tool_call_id").asText(), "matched by name to the first open call");
            assertEquals("{\"rows\":2}", messages.get(3).get("content").asText(), "the orphan result is left out");
            assertEquals(MessageRenderer.EMPTY, messages.get(4).get("content").asText(), "no text: a placeholder");
            assertEquals(5, messages.size());
            assertEquals(new ExportChanges(1, 0, 1, 1, 0, 0), ExportFixture.export(odd, new ExportOptions()).summary().changes());
        }
    }

    @Test
    void summaryNamesSkippedSessionsAndWhy(@TempDir final Path other)
    {
        try (Store s = Store.open(other))
        {
            s.startSession("quiet", (String)null).append(EventKind.USER, "{\"content\":\"anyone?\"}");
            s.startSession("broken", (String)null).append(EventKind.MODEL_RESPONSE, "not json");
            s.commit();
            final ExportSummary summary = ExportFixture.export(s, new ExportOptions()).summary();
            assertEquals(0, summary.examples());
            assertEquals(2, summary.skippedSessions());
            assertEquals("quiet", summary.skipped().get(0).session());
            assertTrue(summary.skipped().get(0).reason().contains("no selected branch has an assistant turn"));
            assertTrue(summary.skipped().get(1).reason().startsWith("broken@1 model.response: payload is not"),
                summary.skipped().get(1).reason());
        }
    }

    @Test
    void unknownSessionIsACallerMistake()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ExportFixture.export(store, new ExportOptions().session("nope")));
        assertEquals("unknown session 'nope'", ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ExportFormat.fromName("csv"));
        assertThrows(IllegalArgumentException.class, () -> new ExportOptions().minReward(2).maxReward(1));
    }
}
