package dev.forkline.kernel.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Canonical JSON and its SHA-256, as {@code docs/replay.md} specifies them for clients in any language: no white
 * space; object members sorted by key in UTF-16 code unit order ({@link String#compareTo}); strings with only the
 * escapes JSON requires ({@code \"}, {@code \\}, {@code \b \f \n \r \t}, {@code \}{@code u00xx} in lowercase hex
 * for the other control characters, and for a lone surrogate), every other character as itself in UTF-8; numbers
 * by their exact decimal value in the layout of ECMAScript's {@code Number.prototype.toString} ({@link
 * CanonicalNumber}); duplicate keys are an error. One instance per thread: it reuses its digest and output buffer.
 * <p>
 * Design note: a text that is already canonical is hashed straight from its characters after one scan that
 * proves it canonical ({@link CanonicalScan}); only other texts go through a tree. Agents that build their
 * requests the same way every time hit the scan, which keeps a replayed call well under a microsecond.
 */
final class CanonicalJson
{
    /** A plain factory, for the streaming parsers and generators of payloads. */
    static final JsonFactory FACTORY = new JsonFactory();

    /** The parser of texts to canonicalize: numbers exact, duplicate keys an error, one value per text. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
        .build();

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final MessageDigest digest;
    private final ByteArrayBuilder out = new ByteArrayBuilder(256);
    private final byte[] ascii = new byte[1024];
    private final char[] hashChars = new char[7 + 64];
    private final byte[] sum = new byte[32];

    CanonicalJson()
    {
        try
        {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
        }
        "sha256:".getChars(0, 7, hashChars, 0);
    }

    /**
     * @return the canonical form of a JSON text.
     * @throws IllegalArgumentException when the text is not one JSON value.
     */
    static String canonical(final String json)
    {
        return canonical(parse(json));
    }

    static String canonical(final JsonNode node)
    {
        final ByteArrayBuilder bytes = new ByteArrayBuilder(128);
        write(node, bytes);
        return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
    }

    /**
     * @return the JSON value of a text, its numbers exact.
     * @throws IllegalArgumentException when the text is not one JSON value, or an object in it has a key twice.
     */
    static JsonNode parse(final String json)
    {
        if (json == null)
        {
            throw new IllegalArgumentException("JSON text must not be null");
        }
        try
        {
            final JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode())
            {
                throw new IllegalArgumentException("not a JSON text: " + excerpt(json, 60));
            }
            return node;
        }
        catch (final IOException ex)
        {
            final String message = ex.getMessage();
            if (message != null && message.startsWith("Duplicate field '"))
            {
                final String key = message.substring(17, message.indexOf('\'', 17));
                throw new IllegalArgumentException("not a JSON text: key \"" + key + "\" twice in one object: " + excerpt(json, 60));
            }
            throw new IllegalArgumentException("not a JSON text: " + excerpt(json, 60));
        }
    }

    /**
     * @return {@code "sha256:"} and the lowercase hex SHA-256 of the canonical form of {@code json}.
     * @throws IllegalArgumentException when the text is not one JSON value.
     */
    String hash(final String json)
    {
        digest(json);
        return lastHash();
    }

    /**
     * As {@link #hash}, leaving the result in {@link #lastHashChars()} without making a string of it.
     */
    void digest(final String json)
    {
        if (json == null)
        {
            throw new IllegalArgumentException("JSON text must not be null");
        }
        if (CanonicalScan.isCanonical(json))
        {
            digestText(json);
        }
        else
        {
            out.reset();
            write(parse(json), out);
            digest.update(out.toByteArray());
        }
        finish();
    }

    /**
     * The hash of the canonical tool-call request {@code {"arguments": <arguments>, "name": <name>}}, where the
     * arguments are the parsed JSON when they are JSON, else the string itself.
     */
    String hashToolCall(final String name, final String arguments)
    {
        digestToolCall(name, arguments);
        return lastHash();
    }

    void digestToolCall(final String name, final String arguments)
    {
        if (name == null)
        {
            throw new IllegalArgumentException("tool name must not be null");
        }
        final String args = arguments == null ? "null" : arguments;
        if (CanonicalScan.isCanonical(args) && CanonicalScan.isPlainString(name))
        {
            digestText("{\"arguments\":");
            digestText(args);
            digestText(",\"name\":\"");
            digestText(name);
            digestText("\"}");
        }
        else
        {
            final ObjectNode request = MAPPER.createObjectNode();
            JsonNode parsed;
            try
            {
                parsed = parse(args);
            }
            catch (final IllegalArgumentException ex)
            {
                parsed = request.textNode(args); // not one JSON value: the arguments are a string
            }
            request.set("arguments", parsed);
            request.put("name", name);
            out.reset();
            write(request, out);
            digest.update(out.toByteArray());
        }
        finish();
    }

    /** Feeds text that is pure ASCII in chunks, else its UTF-8 encoding. */
    private void digestText(final String text)
    {
        final int length = text.length();
        int start = 0;
        while (start < length)
        {
            final int end = Math.min(length, start + ascii.length);
            for (int i = start; i < end; i++)
            {
                final char c = text.charAt(i);
                if (c >= 0x80)
                {
                    digest.update(ascii, 0, i - start);
                    digest.update(text.substring(i).getBytes(StandardCharsets.UTF_8));
                    return;
                }
                ascii[i - start] = (byte)c;
            }
            digest.update(ascii, 0, end - start);
            start = end;
        }
    }

    private void finish()
    {
        try
        {
            digest.digest(sum, 0, sum.length);
        }
        catch (final java.security.DigestException ex)
        {
            throw new IllegalStateException(ex);
        }
        for (int i = 0; i < sum.length; i++)
        {
            hashChars[7 + 2 * i] = HEX[(sum[i] >> 4) & 0xF];
            hashChars[8 + 2 * i] = HEX[sum[i] & 0xF];
        }
    }

    /**
     * @return the characters of the last hash computed; overwritten by the next.
     */
    char[] lastHashChars()
    {
        return hashChars;
    }

    String lastHash()
    {
        return new String(hashChars);
    }

    private static void write(final JsonNode node, final ByteArrayBuilder out)
    {
        if (node.isObject())
        {
            final List<String> names = new ArrayList<>(node.size());
            final Iterator<String> it = node.fieldNames();
            while (it.hasNext())
            {
                names.add(it.next());
            }
            Collections.sort(names);
            out.append('{');
            for (int i = 0; i < names.size(); i++)
            {
                if (i > 0)
                {
                    out.append(',');
                }
                string(names.get(i), out);
                out.append(':');
                write(node.get(names.get(i)), out);
            }
            out.append('}');
        }
        else if (node.isArray())
        {
            out.append('[');
            for (int i = 0; i < node.size(); i++)
            {
                if (i > 0)
                {
                    out.append(',');
                }
                write(node.get(i), out);
            }
            out.append(']');
        }
        else if (node.isTextual())
        {
            string(node.textValue(), out);
        }
        else if (node.isNumber())
        {
            ascii(CanonicalNumber.format(node.isIntegralNumber() ? new BigDecimal(node.bigIntegerValue()) : node.decimalValue()), out);
        }
        else
        {
            ascii(node.isNull() ? "null" : node.booleanValue() ? "true" : "false", out);
        }
    }

    /**
     * A string with only the escapes JSON requires, lowercase hex, and every other character as UTF-8.
     */
    private static void string(final String s, final ByteArrayBuilder out)
    {
        out.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"' -> ascii("\\\"", out);
                case '\\' -> ascii("\\\\", out);
                case '\b' -> ascii("\\b", out);
                case '\f' -> ascii("\\f", out);
                case '\n' -> ascii("\\n", out);
                case '\r' -> ascii("\\r", out);
                case '\t' -> ascii("\\t", out);
                default ->
                {
                    if (c < 0x20)
                    {
                        escape(c, out);
                    }
                    else if (c < 0x80)
                    {
                        out.append(c);
                    }
                    else if (c < 0x800)
                    {
                        out.append(0xC0 | (c >> 6));
                        out.append(0x80 | (c & 0x3F));
                    }
                    else if (!Character.isSurrogate(c))
                    {
                        out.append(0xE0 | (c >> 12));
                        out.append(0x80 | ((c >> 6) & 0x3F));
                        out.append(0x80 | (c & 0x3F));
                    }
                    else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
                    {
                        final int cp = Character.toCodePoint(c, s.charAt(++i));
                        out.append(0xF0 | (cp >> 18));
                        out.append(0x80 | ((cp >> 12) & 0x3F));
                        out.append(0x80 | ((cp >> 6) & 0x3F));
                        out.append(0x80 | (cp & 0x3F));
                    }
                    else
                    {
                        escape(c, out); // a lone surrogate has no UTF-8 form
                    }
                }
            }
        }
        out.append('"');
    }

    private static void escape(final char c, final ByteArrayBuilder out)
    {
        ascii("\\u", out);
        for (int shift = 12; shift >= 0; shift -= 4)
        {
            out.append(HEX[(c >> shift) & 0xF]);
        }
    }

    private static void ascii(final String text, final ByteArrayBuilder out)
    {
        for (int i = 0; i < text.length(); i++)
        {
            out.append(text.charAt(i));
        }
    }

    static String excerpt(final String text, final int max)
    {
        if (text == null)
        {
            return "null";
        }
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
