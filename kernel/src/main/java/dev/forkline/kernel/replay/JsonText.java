package dev.forkline.kernel.replay;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON texts kept exactly as written: checked to be one JSON value, then stripped of the white space between
 * tokens and nothing else, so every number keeps its digits ({@code 0.1000000000000000000001}, {@code 1e400},
 * {@code -0.0}) and every string its escapes. Used for the JSON a recorder stores inside its payloads (usage,
 * effect requests and responses), so that replay returns the same text the live call returned.
 * <p>
 * Design note: a tree of Jackson nodes would turn numbers into doubles (or big decimals, which have no
 * {@code -0.0}); copying the characters loses nothing and costs less.
 */
final class JsonText
{
    private JsonText()
    {
    }

    /**
     * @param field what the text is, for the error message ("usage", "effect response").
     * @return {@code json} without insignificant white space; the same instance when it has none.
     * @throws IllegalArgumentException when the text is not exactly one JSON value.
     */
    static String compact(final String json, final String field)
    {
        check(json, field);
        return strip(json);
    }

    private static String strip(final String json)
    {
        int i = 0;
        final int n = json.length();
        boolean inString = false;
        while (i < n)
        {
            final char c = json.charAt(i);
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (isSpace(c))
            {
                break;
            }
            i++;
        }
        if (i == n)
        {
            return json;
        }
        final StringBuilder out = new StringBuilder(n).append(json, 0, i);
        for (; i < n; i++)
        {
            final char c = json.charAt(i);
            if (inString)
            {
                out.append(c);
                if (c == '\\')
                {
                    out.append(json.charAt(++i));
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (!isSpace(c))
            {
                out.append(c);
                inString = c == '"';
            }
        }
        return out.toString();
    }

    /**
     * As {@link #compact}, for a text that must be a JSON object.
     */
    static String compactObject(final String json, final String field)
    {
        final String compact = compact(json, field);
        if (compact.charAt(0) != '{')
        {
            throw new IllegalArgumentException(field + " must be a JSON object: " + CanonicalJson.excerpt(compact, 60));
        }
        return compact;
    }

    /**
     * @return the index just after the JSON value that starts at {@code start} in a text known to be JSON.
     */
    static int valueEnd(final byte[] bytes, final int start, final int limit)
    {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < limit; i++)
        {
            final byte c = bytes[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                    if (depth == 0)
                    {
                        return i + 1;
                    }
                }
                continue;
            }
            switch (c)
            {
                case '"' -> inString = true;
                case '{', '[' -> depth++;
                case '}', ']' ->
                {
                    if (depth == 0)
                    {
                        return i;
                    }
                    if (--depth == 0)
                    {
                        return i + 1;
                    }
                }
                case ',', ' ', '\t', '\n', '\r' ->
                {
                    if (depth == 0)
                    {
                        return i;
                    }
                }
                default ->
                {
                }
            }
        }
        return limit;
    }

    private static void check(final String json, final String field)
    {
        if (json == null)
        {
            throw new IllegalArgumentException(field + " must not be null");
        }
        try (JsonParser parser = CanonicalJson.FACTORY.createParser(json))
        {
            if (parser.nextToken() != null)
            {
                parser.skipChildren();
                if (parser.nextToken() == null)
                {
                    return;
                }
            }
        }
        catch (final IOException ex)
        {
            // not JSON: said below
        }
        throw new IllegalArgumentException(field + " is not a JSON text: " + CanonicalJson.excerpt(json, 60));
    }

    private static boolean isSpace(final char c)
    {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /**
     * The text of the value the parser stands on (its first token), copied exactly from {@code bytes}, which the
     * parser reads from offset 0; the parser is left on the value's last token.
     */
    static String copy(final JsonParser parser, final byte[] bytes, final int length) throws IOException
    {
        final int start = (int)parser.currentTokenLocation().getByteOffset();
        final int end = valueEnd(bytes, start, length);
        final JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY)
        {
            parser.skipChildren();
        }
        return strip(new String(bytes, start, end - start, StandardCharsets.UTF_8));
    }
}
