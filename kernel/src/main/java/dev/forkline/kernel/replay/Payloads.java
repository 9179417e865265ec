package dev.forkline.kernel.replay;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;

/**
 * Writes the payloads of the events a recorder appends, in the shapes of DESIGN.md. Live path only: each
 * of these follows a model or tool call that costs far more.
 */
final class Payloads
{
    @FunctionalInterface
    private interface Fields
    {
        void write(JsonGenerator g) throws IOException;
    }

    private Payloads()
    {
    }

    static String content(final String content)
    {
        return object(g -> g.writeStringField("content", content));
    }

    static String modelResponse(final ModelTurn turn, final String requestHash)
    {
        return object(g ->
        {
            g.writeStringField("content", turn.content());
            g.writeArrayFieldStart("tool_calls");
            for (final ToolCall call : turn.toolCalls())
            {
                g.writeStartObject();
                g.writeStringField("id", call.id());
                g.writeStringField("name", call.name());
                g.writeStringField("arguments", call.arguments());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("model", turn.model());
            g.writeFieldName("usage");
            raw(g, turn.usage());
            g.writeStringField("request_hash", requestHash);
        });
    }

    static String toolResult(final ToolCall call, final ToolResult result, final String requestHash)
    {
        return object(g ->
        {
            g.writeStringField("tool_call_id", call.id());
            g.writeStringField("name", call.name());
            g.writeStringField("content", result.content());
            g.writeBooleanField("error", result.error());
            g.writeStringField("request_hash", requestHash);
        });
    }

    static String value(final long value)
    {
        return "{\"value\":" + value + "}";
    }

    static String value(final double value)
    {
        return object(g -> g.writeNumberField("value", requireFinite(value)));
    }

    /**
     * @throws IllegalArgumentException for NaN and the infinities, which JSON cannot hold.
     */
    static double requireFinite(final double value)
    {
        if (!Double.isFinite(value))
        {
            throw new IllegalArgumentException("a random value must be finite (JSON has no NaN or infinity): " + value);
        }
        return value;
    }

    /**
     * @param request  the request, a compact JSON text ({@link JsonText#compact}).
     * @param response the response, a compact JSON text.
     */
    static String effect(final String name, final String request, final String response, final String requestHash)
    {
        return object(g ->
        {
            g.writeStringField("name", name);
            g.writeFieldName("request");
            raw(g, request);
            g.writeFieldName("response");
            raw(g, response);
            g.writeStringField("request_hash", requestHash);
        });
    }

    /**
     * Writes a JSON text that was checked and compacted already, character for character.
     */
    private static void raw(final JsonGenerator g, final String json) throws IOException
    {
        if (json == null)
        {
            g.writeNull();
        }
        else
        {
            g.writeRawValue(json);
        }
    }

    private static String object(final Fields fields)
    {
        final StringWriter out = new StringWriter(128);
        try (JsonGenerator g = CanonicalJson.MAPPER.getFactory().createGenerator(out))
        {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot write a payload", ex);
        }
        return out.toString();
    }
}
