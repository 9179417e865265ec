package dev.forkline.kernel.export;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * The string literals of a JSON text, for redaction: where each is, its decoded value, whether it is a member name,
 * and the member name a value belongs to; and the encoding of a new value. Everything else in the text is left as it
 * is. The text is one that parsed as JSON; on anything else the walk stops early rather than throw.
 */
final class JsonStrings
{
    /** Receives each string literal in order. */
    interface Visitor
    {
        /**
         * @param start  offset of the opening quote.
         * @param end    offset after the closing quote.
         * @param value  the decoded value.
         * @param member for a member's value, the member's decoded name; else null (a name, an array element).
         * @param isName true when the literal is a member name.
         */
        void string(int start, int end, String value, String member, boolean isName);
    }

    private JsonStrings()
    {
    }

    static void walk(final String json, final Visitor visitor)
    {
        final int length = json.length();
        String name = null;
        for (int i = 0; i < length; i++)
        {
            final char c = json.charAt(i);
            if (c == '"')
            {
                final int end = end(json, i);
                if (end < 0)
                {
                    return;
                }
                final String value = decode(json, i + 1, end - 1);
                int next = end;
                while (next < length && isBlank(json.charAt(next)))
                {
                    next++;
                }
                final boolean isName = next < length && json.charAt(next) == ':';
                visitor.string(i, end, value, isName ? null : name, isName);
                name = isName ? value : null;
                i = end - 1;
            }
            else if (c != ':' && !isBlank(c))
            {
                name = null; // a value that is not a string, or punctuation: what follows is not that member's value
            }
        }
    }

    /**
     * @return {@code value} as a JSON string literal, quotes included, on one line (control characters escaped).
     */
    static String encode(final String value)
    {
        try
        {
            return TurnParser.MAPPER.writeValueAsString(value);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("a string is always JSON", ex);
        }
    }

    /**
     * @return the offset after the closing quote of the literal that opens at {@code quote}, or -1.
     */
    private static int end(final String json, final int quote)
    {
        for (int i = quote + 1; i < json.length(); i++)
        {
            final char c = json.charAt(i);
            if (c == '\\')
            {
                i++;
            }
            else if (c == '"')
            {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * @return the value of the literal whose characters (between its quotes) run from {@code from} to {@code to}.
     */
    private static String decode(final String json, final int from, final int to)
    {
        final int escape = json.indexOf('\\', from);
        if (escape < 0 || escape >= to)
        {
            return json.substring(from, to);
        }
        try
        {
            return TurnParser.MAPPER.readValue(json.substring(from - 1, to + 1), String.class);
        }
        catch (final JsonProcessingException ex)
        {
            return json.substring(from, to); // not JSON: matched as it is
        }
    }

    private static boolean isBlank(final char c)
    {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
