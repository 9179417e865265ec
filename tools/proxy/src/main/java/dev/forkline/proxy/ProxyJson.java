package dev.forkline.proxy;

import dev.forkline.kernel.replay.RequestHash;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The proxy's JSON: one mapper, and the few conversions every protocol needs.
 */
final class ProxyJson
{
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ProxyJson()
    {
    }

    /**
     * @throws IllegalArgumentException when {@code bytes} are not one JSON value.
     */
    static JsonNode parse(final byte[] bytes)
    {
        try
        {
            final JsonNode node = MAPPER.readTree(bytes);
            if (node == null || node.isMissingNode())
            {
                throw new IllegalArgumentException("the body is empty, a JSON object was expected");
            }
            return node;
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("the body is not JSON: " + firstLine(ex.getMessage()));
        }
    }

    static JsonNode parse(final String text)
    {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @return the JSON text of {@code node}.
     */
    static String write(final JsonNode node)
    {
        try
        {
            return MAPPER.writeValueAsString(node);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot write JSON", ex);
        }
    }

    static byte[] bytes(final JsonNode node)
    {
        try
        {
            return MAPPER.writeValueAsBytes(node);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot write JSON", ex);
        }
    }

    /**
     * @return {@code text} with object keys sorted and no whitespace when it is JSON, else {@code text} itself: tool
     * call arguments that two clients serialize differently compare equal. The form is the kernel's canonical JSON
     * ({@link RequestHash#canonical}): numbers keep every digit, as the request hash does.
     */
    static String canonicalOrSelf(final String text)
    {
        if (text == null || text.isEmpty())
        {
            return text;
        }
        final char first = text.charAt(0);
        if (first != '{' && first != '[')
        {
            return text;
        }
        try
        {
            return RequestHash.canonical(text);
        }
        catch (final IllegalArgumentException ex)
        {
            return text;
        }
    }

    /**
     * @return the text of a string field, null when absent or JSON null.
     */
    static String text(final JsonNode node, final String field)
    {
        final JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.isTextual() ? value.asText() : write(value);
    }

    /**
     * @return a string content as it is, a list of text parts ({@code {"type":"text","text":…}}, in both protocols)
     * as their texts joined, anything else as its JSON text; null for null.
     */
    static String textParts(final JsonNode content)
    {
        if (content == null || content.isNull())
        {
            return null;
        }
        if (content.isTextual())
        {
            return content.asText();
        }
        if (content.isArray())
        {
            final StringBuilder text = new StringBuilder();
            for (final JsonNode part : content)
            {
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual())
                {
                    return write(content);
                }
                text.append(part.get("text").asText());
            }
            return text.toString();
        }
        return write(content);
    }

    static ObjectNode object()
    {
        return NODES.objectNode();
    }

    static String firstLine(final String message)
    {
        if (message == null)
        {
            return "";
        }
        final int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
