package dev.forkline.kernel.replay;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Canonical JSON (object keys sorted by {@link String#compareTo}, no insignificant whitespace, numbers as
 * Jackson writes them) and its SHA-256. One instance per thread: it reuses its digest and output buffer.
 * <p>
 * Design note: a text that is already canonical is hashed straight from its characters after one scan that
 * proves it canonical; only other texts go through a Jackson tree. Agents that build their requests the same
 * way every time hit the scan, which keeps a replayed call well under a microsecond.
 */
final class CanonicalJson
{
    static final ObjectMapper MAPPER = new ObjectMapper()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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

    static JsonNode parse(final String json)
    {
        if (json == null)
        {
            throw new IllegalArgumentException("JSON text must not be null");
        }
        try
        {
            return MAPPER.readTree(json);
        }
        catch (final IOException ex)
        {
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
                parsed = MAPPER.readTree(args);
            }
            catch (final IOException ex)
            {
                parsed = request.textNode(args);
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

    private static void write(final JsonNode node, final ByteArrayBuilder bytes)
    {
        try (JsonGenerator generator = MAPPER.getFactory().createGenerator(bytes))
        {
            writeNode(node, generator);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot write canonical JSON", ex);
        }
    }

    private static void writeNode(final JsonNode node, final JsonGenerator generator) throws IOException
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
            generator.writeStartObject();
            for (final String name : names)
            {
                generator.writeFieldName(name);
                writeNode(node.get(name), generator);
            }
            generator.writeEndObject();
        }
        else if (node.isArray())
        {
            generator.writeStartArray();
            for (final JsonNode element : node)
            {
                writeNode(element, generator);
            }
            generator.writeEndArray();
        }
        else
        {
            MAPPER.writeTree(generator, node);
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
