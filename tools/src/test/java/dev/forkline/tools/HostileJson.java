package dev.forkline.tools;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Builds hostile variants of a valid import file: a value of the wrong type at any place, a value put into
 * any format's document, a file of many lines or one document.
 */
final class HostileJson
{
    /** Values of every JSON type, and strings and numbers that parse but mean nothing sensible. */
    static final List<String> WRONG_VALUES = List.of(
        "-1", "9223372036854775808", "-1.5e300", "\"\"", "\"+1000000000-12-31T23:59:59Z\"", "true", "null", "[]", "[[1]]",
        "{}", "{\"a\":{}}");

    private static final ObjectMapper PLAIN = new ObjectMapper();

    private HostileJson()
    {
    }

    /**
     * @return the documents of a seed: its lines for a JSONL format, else the whole text.
     */
    static List<String> documents(final ImportRun.Format format)
    {
        final List<String> documents = new ArrayList<>();
        if (format.lines)
        {
            for (final String line : format.seed.split("\n"))
            {
                if (!line.isBlank())
                {
                    documents.add(line);
                }
            }
        }
        else
        {
            documents.add(format.seed);
        }
        return documents;
    }

    /**
     * @return the JSON pointer of every value in a document but the root, parents first.
     */
    static List<JsonPointer> places(final String document)
    {
        final List<JsonPointer> places = new ArrayList<>();
        collect(parse(document), JsonPointer.empty(), places);
        return places;
    }

    /**
     * @return the seed with document {@code index} changed: the value at {@code place} replaced by {@code json}.
     */
    static byte[] replaced(final ImportRun.Format format, final int index, final JsonPointer place, final String json)
    {
        final List<String> documents = documents(format);
        final JsonNode root = parse(documents.get(index));
        final JsonNode parent = root.at(place.head());
        final JsonNode value = parse(json);
        final String last = place.last().getMatchingProperty();
        if (parent instanceof ObjectNode object)
        {
            object.set(last, value);
        }
        else
        {
            ((ArrayNode)parent).set(place.last().getMatchingIndex(), value);
        }
        documents.set(index, root.toString());
        return join(format, documents);
    }

    /**
     * @return a file of the format whose one message or event content is the JSON text {@code value}; in a
     * JSONL format it is on line 2, in a document on line 3.
     */
    static byte[] withContent(final ImportRun.Format format, final byte[] value)
    {
        final String[] around = switch (format)
        {
            case EVENTS -> new String[] {documents(format).get(0) + "\n{\"session\":\"s\",\"branch\":\"s\",\"step\":1," +
                "\"kind\":\"user\",\"ts\":\"2026-11-29T17:00:00Z\",\"data\":{\"content\":", "}}\n"};
            case SWE_AGENT -> new String[] {"{\n\"history\":\n[{\"role\":\"user\",\"content\":", "}]}"};
            case OPENHANDS -> new String[] {"[\n{\"id\":0,\"timestamp\":\"2025-01-27T22:45:18\",\"source\":\"user\",\n" +
                "\"action\":\"message\",\"args\":{\"content\":", "}}]"};
            case OPENAI_CHAT -> new String[] {"{\"messages\":[{\"role\":\"user\",\"content\":\"first\"}]}\n" +
                "{\"messages\":[{\"role\":\"user\",\"content\":", "}]}\n"};
        };
        final byte[] head = around[0].getBytes(StandardCharsets.UTF_8);
        final byte[] tail = around[1].getBytes(StandardCharsets.UTF_8);
        final byte[] file = new byte[head.length + value.length + tail.length];
        System.arraycopy(head, 0, file, 0, head.length);
        System.arraycopy(value, 0, file, head.length, value.length);
        System.arraycopy(tail, 0, file, head.length + value.length, tail.length);
        return file;
    }

    /**
     * @return the line {@link #withContent} puts the value on.
     */
    static int contentLine(final ImportRun.Format format)
    {
        return format.lines ? 2 : 3;
    }

    /**
     * @return {@code depth} arrays nested in one another.
     */
    static byte[] nested(final int depth, final boolean closed)
    {
        final byte[] text = new byte[closed ? 2 * depth : depth];
        for (int i = 0; i < depth; i++)
        {
            text[i] = '[';
            if (closed)
            {
                text[text.length - 1 - i] = ']';
            }
        }
        return text;
    }

    /**
     * @return a JSON string of {@code length} letters.
     */
    static byte[] string(final int length)
    {
        final byte[] text = new byte[length + 2];
        java.util.Arrays.fill(text, (byte)'a');
        text[0] = '"';
        text[length + 1] = '"';
        return text;
    }

    static byte[] join(final ImportRun.Format format, final List<String> documents)
    {
        return (String.join("\n", documents) + (format.lines ? "\n" : "")).getBytes(StandardCharsets.UTF_8);
    }

    private static void collect(final JsonNode node, final JsonPointer at, final List<JsonPointer> places)
    {
        if (node.isObject())
        {
            final Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext())
            {
                final Map.Entry<String, JsonNode> field = fields.next();
                final JsonPointer child = at.appendProperty(field.getKey());
                places.add(child);
                collect(field.getValue(), child, places);
            }
        }
        else if (node.isArray())
        {
            for (int i = 0; i < node.size(); i++)
            {
                final JsonPointer child = at.appendIndex(i);
                places.add(child);
                collect(node.get(i), child, places);
            }
        }
    }

    private static JsonNode parse(final String json)
    {
        try
        {
            return PLAIN.readTree(json);
        }
        catch (final java.io.IOException ex)
        {
            throw new IllegalArgumentException(json, ex);
        }
    }
}
