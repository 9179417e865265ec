package dev.forkline.tools;

/**
 * Checks that bytes are UTF-8 as RFC 3629 defines it (no overlong form, no surrogate, nothing past U+10FFFF), a
 * buffer at a time: a sequence may be cut between two buffers. Counts the lines ({@code \n} bytes) it has seen, so
 * that an error names the line of the sequence that is wrong, and the sequence's first byte.
 * <pre>
 *   first byte   second byte   then
 *   00..7F       -             -
 *   C2..DF       80..BF        -
 *   E0           A0..BF        80..BF
 *   E1..EC       80..BF        80..BF
 *   ED           80..9F        80..BF      (no surrogates)
 *   EE..EF       80..BF        80..BF
 *   F0           90..BF        80..BF x2
 *   F1..F3       80..BF        80..BF x2
 *   F4           80..8F        80..BF x2   (up to U+10FFFF)
 * </pre>
 */
final class Utf8Check
{
    private final String source;
    private long line = 1;
    private int pending;    // continuation bytes still to come for the sequence begun by lead
    private int lead;
    private int lower = 0x80; // the range of the next continuation byte
    private int upper = 0xBF;

    Utf8Check(final String source)
    {
        this.source = source;
    }

    /**
     * Starts over at a line: for input checked a line at a time.
     */
    void restartAt(final long line)
    {
        this.line = line;
        pending = 0;
    }

    /**
     * @throws InputException at the first sequence that is not UTF-8.
     */
    void check(final byte[] bytes, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            final int b = bytes[i] & 0xFF;
            if (pending > 0)
            {
                if (b < lower || b > upper)
                {
                    throw notUtf8(lead);
                }
                lower = 0x80;
                upper = 0xBF;
                pending--;
            }
            else if (b < 0x80)
            {
                if (b == '\n')
                {
                    line++;
                }
            }
            else
            {
                begin(b);
            }
        }
    }

    /**
     * @throws InputException when the input ended inside a sequence.
     */
    void end()
    {
        if (pending > 0)
        {
            throw notUtf8(lead);
        }
    }

    private void begin(final int b)
    {
        lead = b;
        if (b >= 0xC2 && b <= 0xDF)
        {
            pending = 1;
        }
        else if (b >= 0xE0 && b <= 0xEF)
        {
            pending = 2;
            lower = b == 0xE0 ? 0xA0 : 0x80;
            upper = b == 0xED ? 0x9F : 0xBF;
        }
        else if (b >= 0xF0 && b <= 0xF4)
        {
            pending = 3;
            lower = b == 0xF0 ? 0x90 : 0x80;
            upper = b == 0xF4 ? 0x8F : 0xBF;
        }
        else
        {
            throw notUtf8(b);
        }
    }

    private InputException notUtf8(final int b)
    {
        return new InputException(source + ":" + line + ": not UTF-8 text (byte 0x" + Integer.toHexString(b) + ")");
    }
}
