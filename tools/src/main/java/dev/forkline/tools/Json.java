package dev.forkline.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one JSON mapper of the command line, and small conveniences over Jackson's tree.
 */
final class Json
{
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json()
    {
    }

    static ObjectNode object()
    {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array()
    {
        return MAPPER.createArrayNode();
    }

    /**
     * @return the compact text of a node.
     */
    static String write(final JsonNode node)
    {
        try
        {
            return MAPPER.writeValueAsString(node);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static String pretty(final JsonNode node)
    {
        try
        {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * @return the parsed payload, or null when it is not JSON (an opaque payload).
     */
    static JsonNode parseOrNull(final String text)
    {
        try
        {
            return MAPPER.readTree(text);
        }
        catch (final JsonProcessingException ex)
        {
            return null;
        }
    }

    /**
     * @return the text of a field that is a string, or null when it is missing, null or not a string.
     */
    static String text(final JsonNode node, final String field)
    {
        final JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    /**
     * @return message content as text: a string as is; a list of parts as their {@code text} joined.
     */
    static String content(final JsonNode value)
    {
        if (value == null || value.isNull())
        {
            return null;
        }
        if (value.isTextual())
        {
            return value.asText();
        }
        if (value.isArray())
        {
            final StringBuilder text = new StringBuilder();
            for (final JsonNode part : value)
            {
                final String piece = part.isTextual() ? part.asText() : text(part, "text");
                if (piece != null)
                {
                    text.append(piece);
                }
            }
            return text.toString();
        }
        return write(value);
    }
}
