package dev.forkline.tools;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.EventKind;

import java.io.IOException;

/**
 * Reads OpenAI chat JSONL ({@code {"messages":[…], "tools":[…]}} a line) as one session a line, named
 * {@code <file>-<line>}. A tool message must answer a tool call made before it: the latest with its id, as ids may
 * come again in later turns (never twice in one).
 * <p>
 * Each line is parsed twice, first whole to check it and find its tools (the {@code session.start} needs them, and
 * they may come after the messages), then a message at a time, so that the memory a line takes is its bytes and one
 * message.
 */
final class OpenAiChatReader
{
    private OpenAiChatReader()
    {
    }

    static void read(final String source, final String baseName, final InputText in, final long startNanos,
        final ImportSink sink) throws IOException
    {
        while (in.next())
        {
            final int number = in.lineNumber();
            if (in.isBlank())
            {
                continue;
            }
            final String where = source + ":" + number;
            final JsonNode tools = checkRecord(where, in);
            final ObjectNode start = Json.object().putNull("agent").putNull("model");
            start.set("tools", tools);
            start.putObject("tags").put("source", "openai-chat").put("file", source).put("line", number);
            final ImportSink.Draft draft = sink.draft(SessionNames.sanitise(baseName + "-" + number), where,
                startNanos + number * 1_000_000L, start);
            try (JsonDocument record = JsonDocument.line(where, in.bytes(), in.length()))
            {
                if (record.toField("messages"))
                {
                    readMessages(where, record, draft);
                }
            }
            draft.add(EventKind.SESSION_END, Json.object().put("status", "imported"));
        }
    }

    /**
     * Reads the whole line, skipping the messages, to check that it is JSON with a messages array.
     *
     * @return the record's tools, or an empty array.
     */
    private static JsonNode checkRecord(final String where, final InputText in) throws IOException
    {
        JsonNode tools = null;
        boolean messages = false;
        try (JsonDocument record = JsonDocument.line(where, in.bytes(), in.length()))
        {
            final JsonToken root = record.next();
            if (root == JsonToken.START_OBJECT)
            {
                while (record.next() == JsonToken.FIELD_NAME)
                {
                    final String field = record.name();
                    final JsonToken value = record.next();
                    if ("messages".equals(field))
                    {
                        messages = value == JsonToken.START_ARRAY;
                        record.skip();
                    }
                    else if ("tools".equals(field))
                    {
                        tools = record.tree();
                    }
                    else
                    {
                        record.skip();
                    }
                }
            }
            else if (root != null)
            {
                record.skip();
            }
            record.end();
        }
        if (!messages)
        {
            throw new InputException(where + ": no \"messages\" array (not an openai-chat record)");
        }
        return tools == null ? Json.array() : tools;
    }

    private static void readMessages(final String where, final JsonDocument record, final ImportSink.Draft draft)
        throws IOException
    {
        final ToolCallLedger ledger = new ToolCallLedger();
        for (int i = 0; record.next() != JsonToken.END_ARRAY; i++)
        {
            final JsonNode message = record.tree();
            final String role = Json.text(message, "role");
            if (role == null)
            {
                throw new InputException(where + ": messages[" + i + "] has no \"role\"");
            }
            switch (role)
            {
                case "system", "developer" -> draft.add(EventKind.SYSTEM, Json.object().put("content",
                    Json.contentOrEmpty(message.get("content"))));
                case "user" -> draft.add(EventKind.USER, Json.object().put("content", Json.contentOrEmpty(message.get("content"))));
                case "assistant" ->
                {
                    final ObjectNode response = Json.object().put("content", Json.content(message.get("content")));
                    final ArrayNode calls = response.putArray("tool_calls");
                    ledger.nextTurn();
                    for (final JsonNode call : message.path("tool_calls"))
                    {
                        ledger.add(where + ": messages[" + i + "]", calls, Json.text(call, "id"),
                            Json.text(call.path("function"), "name"), call.path("function").get("arguments"));
                    }
                    draft.add(EventKind.MODEL_RESPONSE, response);
                }
                case "tool" ->
                {
                    final String id = Json.text(message, "tool_call_id");
                    if (!ledger.knows(id))
                    {
                        throw new InputException(where + ": messages[" + i + "] answers no earlier tool call (" + id + ")");
                    }
                    draft.add(EventKind.TOOL_RESULT, Json.object().put("tool_call_id", id).put("name", ledger.name(id))
                        .put("content", Json.contentOrEmpty(message.get("content"))).put("error", false));
                }
                default -> throw new InputException(where + ": messages[" + i + "] has unknown role '" + role + "'");
            }
        }
    }
}
