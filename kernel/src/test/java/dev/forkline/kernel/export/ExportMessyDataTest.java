package dev.forkline.kernel.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.forkline.kernel.export.ExportFixture.assistant;
import static dev.forkline.kernel.export.ExportFixture.tool;
import static dev.forkline.kernel.export.FormatRules.MAPPER;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Sessions shaped like the real trajectories of agent projects export to lines that keep every rule of their
 * format, and the summary counts what was changed for that.
 */
class ExportMessyDataTest
{
    @TempDir
    Path dir;

    private static final List<ExportFormat> CHAT = List.of(ExportFormat.OPENAI_CHAT, ExportFormat.TRL_MESSAGES, ExportFormat.SHAREGPT);

    private static List<JsonNode> lines(final Store store, final ExportFormat format) throws Exception
    {
        final List<JsonNode> nodes = new ArrayList<>();
        for (final String line : ExportFixture.export(store, new ExportOptions().format(format)).lines())
        {
            nodes.add(MAPPER.readTree(line));
        }
        return nodes;
    }

    private static void allFormatsKeepTheirRules(final Store store)
    {
        for (final ExportFormat format : ExportFormat.values())
        {
            FormatRules.checkAll(format, ExportFixture.export(store, new ExportOptions().format(format)).lines());
        }
    }

    @Test
    void toolCallIdsThatALaterTurnReusesAreRenamedAndTheirResultsFollow() throws Exception
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter s = store.startSession("reuse", (String)null);
            s.append(EventKind.USER, "{\"content\":\"look\"}");
            s.append(EventKind.MODEL_RESPONSE, assistant("one", "call_0", "ls", "{}"));
            s.append(EventKind.TOOL_RESULT, tool("call_0", "ls", "a.py"));
            s.append(EventKind.MODEL_RESPONSE, assistant("two", "call_0", "cat", "{}"));
            s.append(EventKind.TOOL_RESULT, tool("call_0", "cat", "print(1)"));
            s.append(EventKind.MODEL_RESPONSE, "{\"content\":\"three\",\"tool_calls\":[{\"id\":\"call_0\",\"name\":\"ls\"}," +
                "{\"id\":\"call_0_2\",\"name\":\"ls\"}]}");
            s.append(EventKind.TOOL_RESULT, tool("call_0", "ls", "x"));
            s.append(EventKind.TOOL_RESULT, tool("call_0_2", "ls", "y"));
            s.append(EventKind.MODEL_RESPONSE, "{\"content\":\"done\"}");
            store.commit();

            allFormatsKeepTheirRules(store);
            final JsonNode messages = lines(store, ExportFormat.OPENAI_CHAT).get(0).get("messages");
            assertEquals("call_0", messages.get(1).get("tool_calls").get(0).get("id").asText());
            assertEquals("call_0", messages.get(2).get("tool_call_id").asText());
            assertEquals("call_0_2", messages.get(3).get("tool_calls").get(0).get("id").asText(), "the second use is renamed");
            assertEquals("call_0_2", messages.get(4).get("tool_call_id").asText(), "and its result follows it");
            assertEquals("print(1)", messages.get(4).get("content").asText());
            final JsonNode third = messages.get(5).get("tool_calls");
            assertEquals(List.of("call_0_3", "call_0_2_2"), List.of(third.get(0).get("id").asText(), third.get(1).get("id").asText()),
                "a new id is never one the example has");
            assertEquals("call_0_3", messages.get(6).get("tool_call_id").asText());
            assertEquals("call_0_2_2", messages.get(7).get("tool_call_id").asText());
            assertEquals(3, ExportFixture.export(store, new ExportOptions()).summary().changes().callIdsRenamed());
        }
    }

    @Test
    void emptyContentIsWrittenAsAPlaceholderTheFormatsAccept() throws Exception
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter s = store.startSession("empty", (String)null);
            s.append(EventKind.SYSTEM, "{\"content\":\"\"}");
            s.append(EventKind.USER, "{\"content\":\"run it\"}");
            s.append(EventKind.MODEL_RESPONSE, assistant("", "c1", "sh", "{}"));
            s.append(EventKind.TOOL_RESULT, tool("c1", "sh", ""));
            s.append(EventKind.MODEL_RESPONSE, "{\"content\":null,\"tool_calls\":[{\"id\":\"c2\",\"name\":\"sh\"}]}");
            s.append(EventKind.TOOL_RESULT, "{\"tool_call_id\":\"c2\",\"name\":\"sh\",\"content\":null}");
            s.append(EventKind.MODEL_RESPONSE, "{\"content\":\"\",\"tool_calls\":[]}");
            s.append(EventKind.USER, "{\"content\":\"and?\"}");
            s.append(EventKind.MODEL_RESPONSE, "{\"content\":\"ok\"}");
            store.commit();

            allFormatsKeepTheirRules(store);
            final JsonNode openAi = lines(store, ExportFormat.OPENAI_CHAT).get(0).get("messages");
            assertEquals(MessageRenderer.EMPTY, openAi.get(0).get("content").asText());
            assertTrue(openAi.get(2).get("content").isNull(), "an assistant message with tool calls needs no text");
            assertEquals(MessageRenderer.NO_OUTPUT, openAi.get(3).get("content").asText());
            assertEquals(MessageRenderer.NO_OUTPUT, openAi.get(5).get("content").asText());
            assertEquals(MessageRenderer.EMPTY, openAi.get(6).get("content").asText());
            final JsonNode trl = lines(store, ExportFormat.TRL_MESSAGES).get(0).get("messages");
            assertEquals("", trl.get(2).get("content").asText(), "TRL: empty text beside tool calls");
            assertEquals(MessageRenderer.NO_OUTPUT, trl.get(3).get("content").asText());
            assertEquals(4, ExportFixture.export(store, new ExportOptions()).summary().changes().contentsFilled(),
                "the system message, two tool results and the silent assistant turn");
        }
    }

    @Test
    void aToolResultThatDoesNotFollowItsCallIsLeftOutAndCounted() throws Exception
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter s = store.startSession("late", (String)null);
            s.append(EventKind.USER, "{\"content\":\"go\"}");
            s.append(EventKind.MODEL_RESPONSE, assistant("start it", "c1", "run", "{}"));
            s.append(EventKind.USER, "{\"content\":\"still there?\"}");
            s.append(EventKind.TOOL_RESULT, tool("c1", "run", "finished late"));
            s.append(EventKind.MODEL_RESPONSE, assistant("check", "c2", "ls", "{}"));
            s.append(EventKind.TOOL_RESULT, tool("c9", "ls", "by name"));
            s.append(EventKind.MODEL_RESPONSE, "{\"content\":\"done\"}");
            store.commit();

            allFormatsKeepTheirRules(store);
            final JsonNode messages = lines(store, ExportFormat.OPENAI_CHAT).get(0).get("messages");
            assertEquals(List.of("user", "assistant", "user", "assistant", "tool", "assistant"), messages.findValuesAsText("role"));
            assertEquals("c2", messages.get(4).get("tool_call_id").asText(), "an unknown id is linked by name");
            final ExportChanges changes = ExportFixture.export(store, new ExportOptions()).summary().changes();
            assertEquals(1, changes.messagesDropped());
            assertEquals(1, changes.resultsRelinked());
            assertTrue(ExportFixture.export(store, new ExportOptions()).summary().toString()
                .endsWith("; changed: 1 tool result relinked by name, 1 message left out"));
        }
    }

    @Test
    void shareGptAlternatesSidesByMergingAndSaysWhatItLeftOut() throws Exception
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter s = store.startSession("sides", (String)null);
            s.append(EventKind.SYSTEM, "{\"content\":\"You are a programmer.\"}");
            s.append(EventKind.MODEL_RESPONSE, "{\"content\":\"Hello before anyone spoke.\"}");
            s.append(EventKind.USER, "{\"content\":\"Here is a demonstration.\",\"demo\":true}");
            s.append(EventKind.USER, "{\"content\":\"Now the issue.\"}");
            s.append(EventKind.MODEL_RESPONSE, "{\"content\":\"Both at once.\",\"tool_calls\":[{\"id\":\"a\",\"name\":\"ls\"," +
                "\"arguments\":\"{}\"},{\"id\":\"b\",\"name\":\"cat\",\"arguments\":\"{\\\"f\\\":1}\"}]}");
            s.append(EventKind.TOOL_RESULT, tool("a", "ls", "x.py"));
            s.append(EventKind.TOOL_RESULT, tool("b", "cat", ""));
            s.append(EventKind.MODEL_RESPONSE, "{\"content\":\"A remark.\"}");
            s.append(EventKind.MODEL_RESPONSE, assistant("", "c", "sh", "{}"));
            s.append(EventKind.TOOL_RESULT, tool("c", "sh", "ok"));
            s.append(EventKind.MODEL_RESPONSE, "{\"content\":\"Done.\"}");
            store.commit();

            allFormatsKeepTheirRules(store);
            final JsonNode line = lines(store, ExportFormat.SHAREGPT).get(0);
            final JsonNode turns = line.get("conversations");
            assertEquals(List.of("human", "function_call", "observation", "function_call", "observation", "gpt"),
                turns.findValuesAsText("from"));
            assertEquals("Here is a demonstration.\n\nNow the issue.", turns.get(0).get("value").asText());
            assertEquals("x.py\n\n" + MessageRenderer.NO_OUTPUT, turns.get(2).get("value").asText());
            assertEquals("sh", MAPPER.readTree(turns.get(3).get("value").asText()).get("name").asText(),
                "a remark and a call: the call");
            final ExportChanges changes = ExportFixture.export(store, new ExportOptions().format(ExportFormat.SHAREGPT)).summary().changes();
            assertEquals(new ExportChanges(1, 0, 0, 1, 3, 2), changes,
                "filled: the empty result; dropped: the turn before any human one; merged: the issue, the second result, " +
                    "the call after the remark; texts: 'Both at once.', 'A remark.'");
        }
    }

    @Test
    void lineBreakCharactersThatJsonAllowsAreEscaped() throws Exception
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter s = store.startSession("separators", (String)null);
            s.append(EventKind.USER, "{\"content\":\"one\u2028two\u2029three\u0085four \\u001b[31m caf\u00e9 \ud83d\ude00\"}");
            s.append(EventKind.MODEL_RESPONSE, "{\"content\":\"x\",\"tool_calls\":[{\"id\":\"c\",\"name\":\"echo\"," +
                "\"arguments\":\"{\\\"s\\\":\\\"a\u2028b\\\"}\"}]}");
            s.append(EventKind.TOOL_RESULT, tool("c", "echo", "a\u2028b"));
            s.append(EventKind.MODEL_RESPONSE, "{\"content\":\"done\"}");
            store.commit();

            allFormatsKeepTheirRules(store);
            for (final ExportFormat format : CHAT)
            {
                final String text = ExportFixture.export(store, new ExportOptions().format(format)).text();
                assertTrue(text.contains("one\\u2028two\\u2029three\\u0085four"), format + ": " + text);
                assertTrue(text.contains("caf\u00e9"), "other characters are kept as they are");
            }
            final JsonNode messages = lines(store, ExportFormat.TRL_MESSAGES).get(0).get("messages");
            assertEquals("a\u2028b", messages.get(1).get("tool_calls").get(0).get("function").get("arguments").get("s").asText());
            assertEquals("one\u2028two\u2029three\u0085four \u001b[31m caf\u00e9 \ud83d\ude00", messages.get(0).get("content").asText());
        }
    }

    @Test
    void aPreferencePairNeverRepeatsAnIdOfItsPrompt() throws Exception
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter s = store.startSession("pair", (String)null);
            s.append(EventKind.USER, "{\"content\":\"fix it\"}");
            s.append(EventKind.MODEL_RESPONSE, assistant("look", "call_0", "ls", "{}"));
            s.append(EventKind.TOOL_RESULT, tool("call_0", "ls", "a.py"));
            s.append(EventKind.MODEL_RESPONSE, assistant("delete", "call_0", "rm", "{}"));
            s.append(EventKind.OUTCOME, "{\"reward\":0}");
            final BranchWriter f = store.fork("pair", 4, "retry");
            f.append(EventKind.MODEL_RESPONSE, assistant("read", "call_0", "cat", "{}"));
            f.append(EventKind.OUTCOME, "{\"reward\":1}");
            store.commit();

            allFormatsKeepTheirRules(store);
            final JsonNode pair = lines(store, ExportFormat.OPENAI_PREFERENCE).get(0);
            assertEquals("call_0_2", pair.get("preferred_output").get(0).get("tool_calls").get(0).get("id").asText());
            assertEquals("call_0_2", pair.get("non_preferred_output").get(0).get("tool_calls").get(0).get("id").asText());
            assertEquals(2, ExportFixture.export(store, new ExportOptions().format(ExportFormat.OPENAI_PREFERENCE))
                .summary().changes().callIdsRenamed(), "each renamed call once");
        }
    }
}
