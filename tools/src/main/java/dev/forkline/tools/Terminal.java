package dev.forkline.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether stdout and stderr are terminals, for colours and progress bars. The launcher script tells
 * ({@code -Dforkline.tty.stdout=true}); otherwise Linux's {@code /proc/self/fd} does. And {@link #escape}, which
 * makes text from the input safe to print: a control character in a session id or a payload must not reach a
 * terminal, where it could move the cursor, change colours or rewrite what was printed before.
 */
final class Terminal
{
    private Terminal()
    {
    }

    static boolean stdout()
    {
        return isTerminal("stdout", 1) && System.getenv("NO_COLOR") == null;
    }

    static boolean stderr()
    {
        return isTerminal("stderr", 2);
    }

    /**
     * @return {@code text} with every control character written as an escape: {@code \n}, {@code \r}, {@code \t},
     * {@code \xNN} for the other C0 characters and DEL; a backslash, {@code u} and four hex digits for the C1
     * controls, the line and paragraph separators and the bidirectional overrides (which reorder what a terminal
     * shows).
     */
    static String escape(final String text)
    {
        if (text == null)
        {
            return null;
        }
        int i = 0;
        while (i < text.length() && !isControl(text.charAt(i)))
        {
            i++;
        }
        if (i == text.length())
        {
            return text;
        }
        final StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (!isControl(c))
            {
                out.append(c);
            }
            else if (c == '\n')
            {
                out.append("\\n");
            }
            else if (c == '\r')
            {
                out.append("\\r");
            }
            else if (c == '\t')
            {
                out.append("\\t");
            }
            else if (c < 0x20 || c == 0x7f)
            {
                out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            }
            else
            {
                out.append(String.format("\\u%04x", (int)c));
            }
        }
        return out.toString();
    }

    private static boolean isControl(final char c)
    {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e) ||
            (c >= 0x2066 && c <= 0x2069);
    }

    private static boolean isTerminal(final String stream, final int fd)
    {
        final String told = System.getProperty("forkline.tty." + stream);
        if (told != null)
        {
            return Boolean.parseBoolean(told);
        }
        try
        {
            final String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        }
        catch (final IOException | UnsupportedOperationException | SecurityException ex)
        {
            return false;
        }
    }
}
