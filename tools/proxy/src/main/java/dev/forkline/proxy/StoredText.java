package dev.forkline.proxy;

import dev.forkline.kernel.export.Secrets;

/**
 * What the proxy does to a text before it is stored: secrets replaced by {@value #REDACTED} (by the export's rules,
 * {@link Secrets}), and a text too long for one event cut, with a note of how much was left out. Both are functions
 * of the text alone, so a replay that applies them to what its client sends compares like with like.
 */
final class StoredText
{
    static final String REDACTED = Secrets.REPLACEMENT;

    /** The most UTF-8 bytes, JSON escapes included, one stored text takes, leaving room in an event for the rest. */
    static final int MAX_ENCODED_BYTES = 768 * 1024;

    private StoredText()
    {
    }

    /**
     * @return {@code text} redacted and cut to fit an event; null for null.
     */
    static String of(final String text)
    {
        return text == null ? null : fit(redact(text));
    }

    static String redact(final String text)
    {
        return Secrets.redact(text);
    }

    private static String fit(final String text)
    {
        if (text.length() * 6L <= MAX_ENCODED_BYTES)
        {
            return text;
        }
        final int budget = MAX_ENCODED_BYTES - 64;
        long bytes = 0;
        int end = 0;
        while (end < text.length())
        {
            final int width = encodedWidth(text.charAt(end));
            if (bytes + width > budget)
            {
                break;
            }
            bytes += width;
            end++;
        }
        if (end == text.length())
        {
            return text;
        }
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1)))
        {
            end--;
        }
        return text.substring(0, end) + "…[" + (text.length() - end) + " more characters not stored]";
    }

    /**
     * @return the bytes one char takes in a JSON string in UTF-8 (a surrogate counts half of its pair's four).
     */
    private static int encodedWidth(final char c)
    {
        if (c < 0x20)
        {
            return 6;
        }
        if (c == '"' || c == '\\')
        {
            return 2;
        }
        if (c < 0x80)
        {
            return 1;
        }
        if (c < 0x800)
        {
            return 2;
        }
        return Character.isSurrogate(c) ? 2 : 3;
    }
}
