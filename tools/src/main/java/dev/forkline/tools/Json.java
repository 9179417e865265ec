package dev.forkline.tools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one JSON mapper of the command line, and small conveniences over Jackson's tree.
 * <p>
 * The mapper reads hostile input safely: nesting, strings and numbers are bounded (so that a file cannot
 * exhaust the stack or the heap), and a field that comes twice in one object is an error.
 */
final class Json
{
    /** Deepest nesting of arrays and objects read. */
    static final int MAX_DEPTH = 1000;

    /** Longest string read, in characters; longer than any payload a store takes. */
    static final int MAX_STRING_LENGTH = 16 * 1024 * 1024;

    /** Longest number read, in characters. */
    static final int MAX_NUMBER_LENGTH = 1000;

    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(MAX_DEPTH)
            .maxStringLength(MAX_STRING_LENGTH)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build())
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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
     * @return the compact text of a node; a lone UTF-16 surrogate (half of a pair escaped without the other half,
     * which is no character and has no UTF-8 form) becomes U+FFFD.
     */
    static String write(final JsonNode node)
    {
        try
        {
            return wellFormed(MAPPER.writeValueAsString(node));
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * @return the text with each lone surrogate replaced by U+FFFD (the text itself when it has none).
     */
    static String wellFormed(final String text)
    {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (!Character.isSurrogate(c))
            {
                if (out != null)
                {
                    out.append(c);
                }
                continue;
            }
            final boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
            if (out == null && !paired)
            {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (paired)
            {
                if (out != null)
                {
                    out.append(c).append(text.charAt(i + 1));
                }
                i++;
            }
            else
            {
                out.append('\ufffd');
            }
        }
        return out == null ? text : out.toString();
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
     * Describes why input is not acceptable JSON, on one line.
     *
     * @param where the file, with its line when known.
     */
    static InputException malformed(final String where, final JsonProcessingException ex)
    {
        final String message = ex.getOriginalMessage() == null ? ex.getClass().getSimpleName() : ex.getOriginalMessage();
        final String problem;
        if (ex instanceof StreamConstraintsException)
        {
            if (message.contains("nesting depth"))
            {
                problem = "arrays and objects nested deeper than " + MAX_DEPTH + " levels";
            }
            else if (message.startsWith("String value length"))
            {
                problem = "a string longer than " + MAX_STRING_LENGTH + " characters";
            }
            else if (message.startsWith("Number value length"))
            {
                problem = "a number longer than " + MAX_NUMBER_LENGTH + " characters";
            }
            else
            {
                problem = "too large: " + message;
            }
        }
        else if (message.startsWith("Duplicate field"))
        {
            problem = "a field comes twice in one object: " + message.substring("Duplicate field ".length());
        }
        else
        {
            problem = "not JSON: " + message;
        }
        return new InputException(where + ": " + problem, ex);
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
     * @return message content as text, {@code ""} when there is none (a tool result's or a user message's content is
     * always a string).
     */
    static String contentOrEmpty(final JsonNode value)
    {
        final String content = content(value);
        return content == null ? "" : content;
    }

    /**
     * @return message content as text: a string as is; a list of parts as their {@code text} joined; null when
     * there is none.
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
