package dev.forkline.kernel.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders one chat message, or a session's tool list, as the JSON bytes of one format. Each message is
 * rendered once per session and then copied into every line that contains it.
 * <p>
 * A message without text is written with a placeholder ({@link #NO_OUTPUT} for a tool result, {@link #EMPTY}
 * otherwise), as the formats' validators refuse empty content; an assistant message with tool calls and no text
 * has {@code null} content ({@code ""} in TRL) instead. The changes are counted in the {@link ChangeTally}.
 */
final class MessageRenderer
{
    /** The content of a tool result that has none. */
    static final String NO_OUTPUT = "(no output)";
    /** The content of any other message that has none. */
    static final String EMPTY = "(empty)";

    private final ExportFormat format;
    private final ChangeTally tally;
    private final ByteArrayBuilder bytes = new ByteArrayBuilder(4096);

    MessageRenderer(final ExportFormat format, final ChangeTally tally)
    {
        this.format = format;
        this.tally = tally;
    }

    /**
     * @return the message's JSON object (without a weight), rendered on first use.
     */
    byte[] render(final Turn turn)
    {
        if (turn.rendered == null)
        {
            try (JsonGenerator json = TurnParser.FACTORY.createGenerator(bytes))
            {
                switch (format)
                {
                    case SHAREGPT -> shareGpt(json, turn);
                    case TRL_MESSAGES, TRL_PREFERENCE -> trl(json, turn);
                    default -> openAi(json, turn);
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            turn.rendered = bytes.toByteArray();
            bytes.reset();
            if (format != ExportFormat.SHAREGPT)
            {
                tally.linked(turn); // ShareGPT has no ids
            }
        }
        return turn.rendered;
    }

    /**
     * Renders consecutive ShareGPT turns of one side as one turn (not kept: it depends on its neighbours): tool
     * results as one {@code observation}, other human-side turns as {@code human}, texts joined by a blank line;
     * assistant turns as one {@code function_call} of all their calls, or one {@code gpt} turn when none calls.
     */
    byte[] renderMerged(final List<Turn> turns)
    {
        final List<ToolCall> calls = new ArrayList<>();
        boolean observations = true;
        for (final Turn turn : turns)
        {
            calls.addAll(turn.toolCalls);
            observations &= Turn.TOOL.equals(turn.role);
        }
        try (JsonGenerator json = TurnParser.FACTORY.createGenerator(bytes))
        {
            json.writeStartObject();
            if (turns.get(0).isAssistant() && !calls.isEmpty())
            {
                for (final Turn turn : turns)
                {
                    if (!turn.hasNoText())
                    {
                        tally.note(turn, ChangeTally.TEXT_DROPPED);
                    }
                }
                json.writeStringField("from", "function_call");
                json.writeStringField("value", functionCall(calls));
            }
            else
            {
                final StringBuilder value = new StringBuilder();
                for (final Turn turn : turns)
                {
                    value.append(value.length() == 0 ? "" : "\n\n").append(text(turn));
                }
                json.writeStringField("from", turns.get(0).isAssistant() ? "gpt" : observations ? "observation" : "human");
                json.writeStringField("value", value.toString());
            }
            json.writeEndObject();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final byte[] merged = bytes.toByteArray();
        bytes.reset();
        return merged;
    }

    /**
     * @return the message's text, or its placeholder (counted) when it has none.
     */
    String text(final Turn turn)
    {
        if (!turn.hasNoText())
        {
            return turn.contentText();
        }
        tally.note(turn, ChangeTally.FILLED);
        return Turn.TOOL.equals(turn.role) ? NO_OUTPUT : EMPTY;
    }

    private void openAi(final JsonGenerator json, final Turn turn) throws IOException
    {
        json.writeStartObject();
        json.writeStringField("role", turn.role);
        if (Turn.TOOL.equals(turn.role))
        {
            json.writeStringField("tool_call_id", turn.toolCallId);
        }
        content(json, "content", turn, false);
        toolCalls(json, turn, false);
        json.writeEndObject();
    }

    private void trl(final JsonGenerator json, final Turn turn) throws IOException
    {
        json.writeStartObject();
        json.writeStringField("role", turn.role);
        if (Turn.TOOL.equals(turn.role))
        {
            json.writeStringField("tool_call_id", turn.toolCallId);
            if (turn.name != null)
            {
                json.writeStringField("name", turn.name);
            }
        }
        content(json, "content", turn, true);
        toolCalls(json, turn, true);
        json.writeEndObject();
    }

    /**
     * Writes an assistant turn's {@code tool_calls}: {@code arguments} as the JSON string OpenAI expects, or, with
     * {@code argumentsAsObject}, as the object TRL's chat templates take.
     */
    private static void toolCalls(final JsonGenerator json, final Turn turn, final boolean argumentsAsObject)
        throws IOException
    {
        if (turn.toolCalls.isEmpty())
        {
            return;
        }
        json.writeArrayFieldStart("tool_calls");
        for (final ToolCall call : turn.toolCalls)
        {
            json.writeStartObject();
            json.writeStringField("id", call.id());
            json.writeStringField("type", "function");
            json.writeObjectFieldStart("function");
            json.writeStringField("name", call.name());
            if (argumentsAsObject)
            {
                json.writeFieldName("arguments");
                json.writeRawValue(call.arguments());
            }
            else
            {
                json.writeStringField("arguments", call.arguments());
            }
            json.writeEndObject();
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private void shareGpt(final JsonGenerator json, final Turn turn) throws IOException
    {
        json.writeStartObject();
        switch (turn.role)
        {
            case Turn.ASSISTANT ->
            {
                if (turn.toolCalls.isEmpty())
                {
                    json.writeStringField("from", "gpt");
                    content(json, "value", turn, true);
                }
                else
                {
                    if (!turn.hasNoText())
                    {
                        tally.note(turn, ChangeTally.TEXT_DROPPED);
                    }
                    json.writeStringField("from", "function_call");
                    json.writeStringField("value", functionCall(turn.toolCalls));
                }
            }
            case Turn.TOOL -> json.writeStringField("from", "observation");
            default -> json.writeStringField("from", "human");
        }
        if (!turn.isAssistant())
        {
            content(json, "value", turn, true);
        }
        json.writeEndObject();
    }

    /**
     * Writes the content: as recorded, else for an assistant message with tool calls {@code null} (or {@code ""} with
     * {@code emptyForNull}), else a placeholder.
     */
    private void content(final JsonGenerator json, final String field, final Turn turn, final boolean emptyForNull)
        throws IOException
    {
        json.writeFieldName(field);
        if (!turn.hasNoText() && turn.contentOffset >= 0)
        {
            json.writeRawUTF8String(turn.payload, turn.contentOffset, turn.contentLength);
        }
        else if (!turn.hasNoText())
        {
            json.writeString(turn.content);
        }
        else if (turn.isAssistant() && !turn.toolCalls.isEmpty())
        {
            if (emptyForNull)
            {
                json.writeString("");
            }
            else
            {
                json.writeNull();
            }
        }
        else
        {
            json.writeString(text(turn));
        }
    }

    private static String functionCall(final List<ToolCall> calls) throws IOException
    {
        final ArrayNode list = TurnParser.MAPPER.createArrayNode();
        for (final ToolCall call : calls)
        {
            final ObjectNode node = list.addObject();
            node.put("name", call.name());
            node.set("arguments", TurnParser.MAPPER.readTree(call.arguments()));
        }
        return TurnParser.MAPPER.writeValueAsString(list.size() == 1 ? list.get(0) : list);
    }

    /**
     * @return the session's tools in OpenAI function format (bare function schemas are wrapped), or null
     * when it has none. For ShareGPT, the list of function schemas as one JSON string.
     */
    byte[] tools(final JsonNode tools) throws IOException
    {
        if (tools == null || !tools.isArray() || tools.isEmpty())
        {
            return null;
        }
        final ArrayNode normalized = TurnParser.MAPPER.createArrayNode();
        for (final JsonNode tool : tools)
        {
            final boolean wrapped = tool.has("function") && tool.get("function").isObject();
            if (format == ExportFormat.SHAREGPT)
            {
                normalized.add(wrapped ? tool.get("function") : tool);
            }
            else if (wrapped || !tool.has("name"))
            {
                normalized.add(tool);
            }
            else
            {
                normalized.addObject().put("type", "function").set("function", tool);
            }
        }
        final String text = TurnParser.MAPPER.writeValueAsString(normalized);
        return format == ExportFormat.SHAREGPT ?
            TurnParser.MAPPER.writeValueAsBytes(text) : text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
