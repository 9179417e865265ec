package dev.forkline.kernel.export;

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
     * @return {@code value} as a JSON string literal, quotes included: {@code "} and {@code \} escaped, and control
     * characters as escapes, so the text stays on one line.
     */
    static String encode(final String value)
    {
        final StringBuilder out = new StringBuilder(value.length() + 8).append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default ->
                {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029)
                    {
                        out.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
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

    private static String decode(final String json, final int from, final int to)
    {
        if (json.indexOf('\\', from) < 0 || json.indexOf('\\', from) >= to)
        {
            return json.substring(from, to);
        }
        final StringBuilder out = new StringBuilder(to - from);
        for (int i = from; i < to; i++)
        {
            final char c = json.charAt(i);
            if (c != '\\' || i + 1 >= to)
            {
                out.append(c);
                continue;
            }
            final char escaped = json.charAt(++i);
            switch (escaped)
            {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' ->
                {
                    if (i + 4 < to)
                    {
                        try
                        {
                            out.append((char)Integer.parseInt(json, i + 1, i + 5, 16));
                            i += 4;
                        }
                        catch (final NumberFormatException ex)
                        {
                            out.append("\\u"); // not JSON; kept as it is
                        }
                    }
                }
                default -> out.append(escaped); // " \ /
            }
        }
        return out.toString();
    }

    private static boolean isBlank(final char c)
    {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
