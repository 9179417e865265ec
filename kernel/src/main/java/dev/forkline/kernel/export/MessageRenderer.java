package dev.forkline.kernel.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Renders one chat message, or a session's tool list, as the JSON bytes of one format. Each message is
 * rendered once per session and then copied into every line that contains it.
 */
final class MessageRenderer
{
    private final ExportFormat format;
    private final ByteArrayBuilder bytes = new ByteArrayBuilder(4096);

    MessageRenderer(final ExportFormat format)
    {
        this.format = format;
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
        }
        return turn.rendered;
    }

    private static void openAi(final JsonGenerator json, final Turn turn) throws IOException
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

    private static void trl(final JsonGenerator json, final Turn turn) throws IOException
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

    private static void shareGpt(final JsonGenerator json, final Turn turn) throws IOException
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

    private static void content(final JsonGenerator json, final String field, final Turn turn, final boolean emptyForNull)
        throws IOException
    {
        json.writeFieldName(field);
        if (turn.contentOffset >= 0)
        {
            json.writeRawUTF8String(turn.payload, turn.contentOffset, turn.contentLength);
        }
        else if (turn.content == null && !emptyForNull)
        {
            json.writeNull();
        }
        else
        {
            json.writeString(turn.content == null ? "" : turn.content);
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
