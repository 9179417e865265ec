package dev.forkline.bench;

import java.nio.charset.StandardCharsets;

/**
 * The payloads every benchmark and baseline is given: a {@code user} message {@code {"content":"..."}} of an
 * exact size in UTF-8 bytes, the shape of most events an agent records.
 */
public final class Payloads
{
    private static final String PREFIX = "{\"content\":\"";
    private static final String SUFFIX = "\"}";
    private static final String TEXT = "The quick brown fox jumps over the lazy dog; tool output: ok 0123456789. ";

    private Payloads()
    {
    }

    /**
     * @param size the length of the JSON text in bytes, at least 16.
     * @return a JSON object of exactly {@code size} bytes of ASCII.
     */
    public static String json(final int size)
    {
        final int contentLength = size - PREFIX.length() - SUFFIX.length();
        if (contentLength < 1)
        {
            throw new IllegalArgumentException("payload size too small: " + size);
        }
        final StringBuilder builder = new StringBuilder(size).append(PREFIX);
        for (int i = 0; i < contentLength; i++)
        {
            builder.append(TEXT.charAt(i % TEXT.length()));
        }
        return builder.append(SUFFIX).toString();
    }

    /**
     * @return {@link #json(int)} as UTF-8 bytes.
     */
    public static byte[] jsonBytes(final int size)
    {
        return json(size).getBytes(StandardCharsets.UTF_8);
    }
}
