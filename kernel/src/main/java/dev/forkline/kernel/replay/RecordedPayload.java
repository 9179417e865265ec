package dev.forkline.kernel.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.forkline.kernel.EventView;
import dev.forkline.kernel.ForklineException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of one recorded payload that replay checks and serves, decoded in one streaming pass. Reused
 * from event to event; strings are the only allocation, as the agent receives them.
 */
final class RecordedPayload
{
    private static final int EXCERPT_BYTES = 120;
    private static final ObjectReader SUBTREE = CanonicalJson.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final JsonFactory factory = CanonicalJson.MAPPER.getFactory();
    private byte[] bytes = new byte[1024];
    private int length;

    String name;
    String content;
    String requestHash;
    String toolCallId;
    String status;
    String model;
    String usage;
    String response;
    boolean error;
    boolean hasValue;
    long longValue;
    double doubleValue;
    List<ToolCall> toolCalls;

    /**
     * @throws ForklineException {@code CORRUPT_EVENT} when the payload is not a JSON object.
     */
    void decode(final EventView event)
    {
        length = event.payloadLength();
        if (bytes.length < length)
        {
            bytes = new byte[Math.max(length, bytes.length * 2)];
        }
        event.payload().getBytes(0, bytes, 0, length);
        clear();
        try (JsonParser parser = factory.createParser(bytes, 0, length))
        {
            if (parser.nextToken() != JsonToken.START_OBJECT)
            {
                throw new IOException("not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME)
            {
                final String field = parser.currentName();
                final JsonToken token = parser.nextToken();
                switch (field)
                {
                    case "name" -> name = text(parser, token);
                    case "content" -> content = text(parser, token);
                    case "request_hash" -> requestHash = text(parser, token);
                    case "tool_call_id" -> toolCallId = text(parser, token);
                    case "status" -> status = text(parser, token);
                    case "model" -> model = text(parser, token);
                    case "error" -> error = token == JsonToken.VALUE_TRUE;
                    case "value" -> value(parser, token);
                    case "usage", "response" -> tree(parser, field, token);
                    case "tool_calls" -> toolCalls = toolCalls(parser, token);
                    default -> parser.skipChildren();
                }
            }
        }
        catch (final IOException ex)
        {
            throw new ForklineException(ForklineException.Reason.CORRUPT_EVENT,
                "cannot decode " + event.branch() + "@" + event.step() + ": " + ex.getMessage());
        }
    }

    /**
     * @return the first bytes of the payload as text.
     */
    String excerpt()
    {
        final int n = Math.min(length, EXCERPT_BYTES);
        final String text = new String(bytes, 0, n, StandardCharsets.UTF_8);
        return n < length ? text + "…" : text;
    }

    private void clear()
    {
        name = null;
        content = null;
        requestHash = null;
        toolCallId = null;
        status = null;
        model = null;
        usage = null;
        response = null;
        error = false;
        hasValue = false;
        longValue = 0;
        doubleValue = 0;
        toolCalls = null;
    }

    private void value(final JsonParser parser, final JsonToken token) throws IOException
    {
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT)
        {
            hasValue = true;
            longValue = parser.getValueAsLong();
            doubleValue = parser.getDoubleValue();
        }
        else
        {
            parser.skipChildren();
        }
    }

    private void tree(final JsonParser parser, final String field, final JsonToken token) throws IOException
    {
        final String json = token == JsonToken.VALUE_NULL ? null : SUBTREE.readTree(parser).toString();
        if ("usage".equals(field))
        {
            usage = json;
        }
        else
        {
            response = json;
        }
    }

    private static List<ToolCall> toolCalls(final JsonParser parser, final JsonToken token) throws IOException
    {
        final List<ToolCall> calls = new ArrayList<>();
        if (token != JsonToken.START_ARRAY)
        {
            parser.skipChildren();
            return calls;
        }
        while (parser.nextToken() == JsonToken.START_OBJECT)
        {
            String id = null;
            String name = null;
            String arguments = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME)
            {
                final String field = parser.currentName();
                final JsonToken value = parser.nextToken();
                switch (field)
                {
                    case "id" -> id = text(parser, value);
                    case "name" -> name = text(parser, value);
                    case "arguments" -> arguments = value == JsonToken.VALUE_STRING ? parser.getText() :
                        value == JsonToken.VALUE_NULL ? null : SUBTREE.readTree(parser).toString();
                    default -> parser.skipChildren();
                }
            }
            calls.add(new ToolCall(id, name == null ? "" : name, arguments == null ? "{}" : arguments));
        }
        return calls;
    }

    private static String text(final JsonParser parser, final JsonToken token) throws IOException
    {
        if (token == JsonToken.VALUE_STRING)
        {
            return parser.getText();
        }
        parser.skipChildren();
        return null;
    }
}
