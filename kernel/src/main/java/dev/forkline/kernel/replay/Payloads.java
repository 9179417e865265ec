package dev.forkline.kernel.replay;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/**
 * Writes the payloads of the events a recorder appends and of the typed events, in the shapes of
 * {@code docs/format.md}, which are the fields the replay and the exporter read. Live path only: each of these
 * follows a model or tool call that costs far more.
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

    static String sessionStart(final SessionStart start)
    {
        return object(g ->
        {
            g.writeStringField("agent", start.agent());
            if (start.model() != null)
            {
                g.writeStringField("model", start.model());
            }
            g.writeArrayFieldStart("tools");
            for (final String tool : start.tools())
            {
                g.writeRawValue(tool);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("tags");
            for (final Map.Entry<String, String> tag : start.tags().entrySet())
            {
                g.writeStringField(tag.getKey(), tag.getValue());
            }
            g.writeEndObject();
        });
    }

    /**
     * @param requestHash the hash of the request, or null when there is none to check on replay.
     */
    static String modelResponse(final ModelTurn turn, final String requestHash)
    {
        return modelResponse(turn, requestHash, null);
    }

    /**
     * @param requestParts the short hashes of the request's parts, or null.
     */
    static String modelResponse(final ModelTurn turn, final String requestHash, final RequestParts requestParts)
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
            if (turn.finishReason() != null)
            {
                g.writeStringField("finish_reason", turn.finishReason());
            }
            if (turn.tokens() != null)
            {
                tokens(g, turn.tokens());
            }
            if (requestHash != null)
            {
                g.writeStringField("request_hash", requestHash);
            }
            if (requestParts != null)
            {
                requestParts.write(g);
            }
        });
    }

    private static void tokens(final JsonGenerator g, final Tokens tokens) throws IOException
    {
        if (tokens.tokenizer() != null)
        {
            g.writeStringField("tokenizer", tokens.tokenizer());
        }
        ids(g, "prompt_token_ids", tokens.promptTokenIds());
        ids(g, "completion_token_ids", tokens.completionTokenIds());
        if (tokens.completionLogprobs() != null)
        {
            g.writeArrayFieldStart("completion_logprobs");
            for (final double logprob : tokens.completionLogprobs())
            {
                g.writeNumber(logprob);
            }
            g.writeEndArray();
        }
    }

    private static void ids(final JsonGenerator g, final String field, final List<Integer> ids) throws IOException
    {
        if (ids != null)
        {
            g.writeArrayFieldStart(field);
            for (final int id : ids)
            {
                g.writeNumber(id);
            }
            g.writeEndArray();
        }
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

    static String outcome(final Outcome outcome)
    {
        return object(g ->
        {
            if (outcome.hasReward())
            {
                g.writeNumberField("reward", outcome.reward());
            }
            if (outcome.label() != null)
            {
                g.writeStringField("label", outcome.label());
            }
        });
    }

    static String annotation(final Annotation annotation)
    {
        return object(g ->
        {
            g.writeNumberField("step", annotation.step());
            if (annotation.label() != null)
            {
                g.writeStringField("label", annotation.label());
            }
            if (annotation.note() != null)
            {
                g.writeStringField("note", annotation.note());
            }
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
        try (JsonGenerator g = CanonicalJson.FACTORY.createGenerator(out))
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
