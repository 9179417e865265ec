package dev.forkline.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.EventKind;

import java.io.IOException;

/**
 * Reads OpenAI chat JSONL ({@code {"messages":[…], "tools":[…]}} a line) as one session a line, named
 * {@code <file>-<line>}. A tool message must answer a tool call made before it: the latest with its id, as ids
 * may come again in later turns (never twice in one).
 */
final class OpenAiChatReader
{
    private OpenAiChatReader()
    {
    }

    static void read(final String source, final String baseName, final InputText in, final long startNanos,
        final ImportPlan plan) throws IOException
    {
        String line;
        while ((line = in.next()) != null)
        {
            final int number = in.lineNumber();
            if (line.isBlank())
            {
                continue;
            }
            final String where = source + ":" + number;
            final JsonNode record;
            try
            {
                record = Json.MAPPER.readTree(line);
            }
            catch (final JsonProcessingException ex)
            {
                throw Json.malformed(where, ex);
            }
            final JsonNode messages = record.get("messages");
            if (messages == null || !messages.isArray())
            {
                throw new InputException(where + ": no \"messages\" array (not an openai-chat record)");
            }
            final ObjectNode start = Json.object().putNull("agent").putNull("model");
            start.set("tools", record.has("tools") ? record.get("tools") : Json.array());
            start.putObject("tags").put("source", "openai-chat").put("file", source).put("line", number);
            final ImportPlan.Draft draft = plan.draft(SessionNames.sanitise(baseName + "-" + number), where,
                startNanos + number * 1_000_000L, start);
            final ToolCallLedger ledger = new ToolCallLedger();
            for (int i = 0; i < messages.size(); i++)
            {
                final JsonNode message = messages.get(i);
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
            draft.add(EventKind.SESSION_END, Json.object().put("status", "imported"));
        }
    }
}
