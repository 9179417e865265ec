package dev.forkline.kernel;

/**
 * The little JSON the kernel writes itself (session.start, fork and session.end payloads), and reads back.
 */
final class Json
{
    private Json()
    {
    }

    /**
     * @return {@code text} as a JSON string literal, or {@code null} for null.
     */
    static String quote(final String text)
    {
        if (text == null)
        {
            return "null";
        }
        final StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
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
                    if (c < 0x20)
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
     * @return the text of a JSON string literal ({@code "..."} with JSON's escapes), or null when {@code literal} is not
     * one.
     */
    static String unquote(final String literal)
    {
        final int end = literal.length() - 1;
        if (end < 1 || literal.charAt(0) != '"' || literal.charAt(end) != '"')
        {
            return null;
        }
        final StringBuilder out = new StringBuilder(end);
        for (int i = 1; i < end; i++)
        {
            final char c = literal.charAt(i);
            if (c == '"')
            {
                return null;
            }
            if (c != '\\')
            {
                out.append(c);
                continue;
            }
            if (++i >= end)
            {
                return null;
            }
            switch (literal.charAt(i))
            {
                case '"' -> out.append('"');
                case '\\' -> out.append('\\');
                case '/' -> out.append('/');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' ->
                {
                    if (i + 4 >= end)
                    {
                        return null;
                    }
                    try
                    {
                        out.append((char)Integer.parseInt(literal.substring(i + 1, i + 5), 16));
                    }
                    catch (final NumberFormatException ex)
                    {
                        return null;
                    }
                    i += 4;
                }
                default ->
                {
                    return null;
                }
            }
        }
        return out.toString();
    }
}
