package dev.forkline.kernel.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.EventView;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Short hashes of the parts of a model request ({@code "messages"}, {@code "tools"}, and the rest: the
 * parameters), stored in {@code model.response} as {@code "request_parts"} beside the hash of the whole, so that a
 * replay that sees another request can say which part changed. Each is the first 16 hex digits of the SHA-256 of
 * the part's canonical JSON: enough to tell parts apart, not to vouch for them (the whole request's hash does that).
 * <p>
 * Design note: only the whole request's hash is checked on every replayed call; these are computed on the live path
 * (next to a model call that costs far more) and read back only at a divergence.
 */
final class RequestParts
{
    static final String FIELD = "request_parts";
    private static final int HEX_DIGITS = 16;
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final JsonFactory FACTORY = new JsonFactory();

    private final String messages;
    private final String tools;
    private final String parameters;

    private RequestParts(final String messages, final String tools, final String parameters)
    {
        this.messages = messages;
        this.tools = tools;
        this.parameters = parameters;
    }

    /**
     * @return the parts of a request, or null when it is not a JSON object.
     */
    static RequestParts of(final String request)
    {
        final JsonNode node = CanonicalJson.parse(request);
        if (!node.isObject())
        {
            return null;
        }
        final ObjectNode rest = new ObjectNode(JsonNodeFactory.instance);
        for (final Map.Entry<String, JsonNode> field : node.properties())
        {
            if (!field.getKey().equals("messages") && !field.getKey().equals("tools"))
            {
                rest.set(field.getKey(), field.getValue());
            }
        }
        return new RequestParts(hash(node.get("messages")), hash(node.get("tools")), hash(rest));
    }

    /**
     * @return the parts recorded in a {@code model.response} payload, or null when it has none.
     */
    static RequestParts read(final EventView event)
    {
        try (JsonParser parser = FACTORY.createParser(event.payloadBytes()))
        {
            if (parser.nextToken() != JsonToken.START_OBJECT)
            {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME)
            {
                final boolean parts = FIELD.equals(parser.currentName());
                if (parser.nextToken() == JsonToken.START_OBJECT && parts)
                {
                    final String[] values = new String[3];
                    while (parser.nextToken() == JsonToken.FIELD_NAME)
                    {
                        final String name = parser.currentName();
                        final JsonToken value = parser.nextToken();
                        final String text = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                        parser.skipChildren();
                        switch (name)
                        {
                            case "messages" -> values[0] = text;
                            case "tools" -> values[1] = text;
                            case "parameters" -> values[2] = text;
                            default ->
                            {
                            }
                        }
                    }
                    return new RequestParts(values[0], values[1], values[2]);
                }
                parser.skipChildren();
            }
            return null;
        }
        catch (final IOException ex)
        {
            return null; // a damaged payload: the parts are not known
        }
    }

    /**
     * @return the parts that differ between a recorded request and the one that came; empty when not known.
     */
    static Set<Divergence.RequestPart> differences(final RequestParts recorded, final RequestParts came)
    {
        final Set<Divergence.RequestPart> parts = EnumSet.noneOf(Divergence.RequestPart.class);
        if (recorded == null || came == null)
        {
            return parts;
        }
        if (!Objects.equals(recorded.messages, came.messages))
        {
            parts.add(Divergence.RequestPart.MESSAGES);
        }
        if (!Objects.equals(recorded.tools, came.tools))
        {
            parts.add(Divergence.RequestPart.TOOLS);
        }
        if (!Objects.equals(recorded.parameters, came.parameters))
        {
            parts.add(Divergence.RequestPart.PARAMETERS);
        }
        return parts;
    }

    /**
     * Writes {@code "request_parts":{"messages","tools","parameters"}}, each only when the request has it.
     */
    void write(final JsonGenerator g) throws IOException
    {
        g.writeObjectFieldStart(FIELD);
        if (messages != null)
        {
            g.writeStringField("messages", messages);
        }
        if (tools != null)
        {
            g.writeStringField("tools", tools);
        }
        g.writeStringField("parameters", parameters);
        g.writeEndObject();
    }

    private static String hash(final JsonNode part)
    {
        if (part == null)
        {
            return null;
        }
        final byte[] sum;
        try
        {
            sum = MessageDigest.getInstance("SHA-256").digest(CanonicalJson.canonical(part).getBytes(StandardCharsets.UTF_8));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
        }
        final char[] hex = new char[HEX_DIGITS];
        for (int i = 0; i < HEX_DIGITS / 2; i++)
        {
            hex[2 * i] = HEX[(sum[i] >> 4) & 0xF];
            hex[2 * i + 1] = HEX[sum[i] & 0xF];
        }
        return new String(hex);
    }
}
