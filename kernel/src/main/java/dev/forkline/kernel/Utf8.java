package dev.forkline.kernel;

import org.agrona.MutableDirectBuffer;

/**
 * UTF-8 encoding of a {@link CharSequence} straight into a buffer, without the intermediate
 * {@code byte[]} that {@code String.getBytes} allocates on every append.
 */
final class Utf8
{
    private Utf8()
    {
    }

    /**
     * @return the number of bytes {@link #encode} writes for {@code text}; unpaired surrogates count as
     * one byte, as {@code String.getBytes(UTF_8)} encodes them as {@code ?}.
     */
    static int encodedLength(final CharSequence text)
    {
        final int length = text.length();
        int bytes = length;
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            if (c >= 0x80)
            {
                if (c < 0x800)
                {
                    bytes += 1;
                }
                else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1)))
                {
                    bytes += 2; // four bytes for two chars
                    i++;
                }
                else if (Character.isSurrogate(c))
                {
                    // unpaired surrogate: encoded as '?', one byte, like String.getBytes
                }
                else
                {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    /**
     * Writes {@code text} as UTF-8 at {@code index}.
     *
     * @return the number of bytes written.
     */
    static int encode(final CharSequence text, final MutableDirectBuffer buffer, final int index)
    {
        final int length = text.length();
        int p = index;
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                buffer.putByte(p++, (byte)c);
            }
            else if (c < 0x800)
            {
                buffer.putByte(p++, (byte)(0xC0 | (c >> 6)));
                buffer.putByte(p++, (byte)(0x80 | (c & 0x3F)));
            }
            else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                final int cp = Character.toCodePoint(c, text.charAt(++i));
                buffer.putByte(p++, (byte)(0xF0 | (cp >> 18)));
                buffer.putByte(p++, (byte)(0x80 | ((cp >> 12) & 0x3F)));
                buffer.putByte(p++, (byte)(0x80 | ((cp >> 6) & 0x3F)));
                buffer.putByte(p++, (byte)(0x80 | (cp & 0x3F)));
            }
            else if (Character.isSurrogate(c))
            {
                buffer.putByte(p++, (byte)'?');
            }
            else
            {
                buffer.putByte(p++, (byte)(0xE0 | (c >> 12)));
                buffer.putByte(p++, (byte)(0x80 | ((c >> 6) & 0x3F)));
                buffer.putByte(p++, (byte)(0x80 | (c & 0x3F)));
            }
        }
        return p - index;
    }
}
