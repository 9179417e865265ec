package dev.forkline.kernel.replay;

/**
 * Decides, in one pass and without allocating, whether a JSON text is already in the canonical form that
 * {@link CanonicalJson} writes. It answers false for anything it is not sure of (exponents, {@code \}{@code u}
 * escapes, keys with escapes, deep nesting), which sends the text the slow, always-correct way.
 */
final class CanonicalScan
{
    private static final int MAX_DEPTH = 64;
    private static final int NOT_CANONICAL = -1;

    private CanonicalScan()
    {
    }

    static boolean isCanonical(final String json)
    {
        final int end = value(json, 0, 0);
        return end == json.length();
    }

    /**
     * @return true when {@code text} needs no escaping inside a JSON string.
     */
    static boolean isPlainString(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the index after the value that starts at {@code i}, or {@link #NOT_CANONICAL}.
     */
    private static int value(final String s, final int i, final int depth)
    {
        if (i >= s.length() || depth > MAX_DEPTH)
        {
            return NOT_CANONICAL;
        }
        final char c = s.charAt(i);
        switch (c)
        {
            case '{':
                return object(s, i + 1, depth + 1);
            case '[':
                return array(s, i + 1, depth + 1);
            case '"':
                return string(s, i + 1);
            case 't':
                return literal(s, i, "true");
            case 'f':
                return literal(s, i, "false");
            case 'n':
                return literal(s, i, "null");
            default:
                return c == '-' || (c >= '0' && c <= '9') ? number(s, i) : NOT_CANONICAL;
        }
    }

    private static int object(final String s, final int start, final int depth)
    {
        int i = start;
        if (i < s.length() && s.charAt(i) == '}')
        {
            return i + 1;
        }
        int previousStart = -1;
        int previousEnd = -1;
        while (true)
        {
            if (i >= s.length() || s.charAt(i) != '"')
            {
                return NOT_CANONICAL;
            }
            final int keyStart = i + 1;
            final int keyEnd = plainKey(s, keyStart);
            if (keyEnd == NOT_CANONICAL ||
                (previousStart >= 0 && compare(s, previousStart, previousEnd, keyStart, keyEnd) >= 0))
            {
                return NOT_CANONICAL;
            }
            previousStart = keyStart;
            previousEnd = keyEnd;
            i = keyEnd + 1;
            if (i >= s.length() || s.charAt(i) != ':')
            {
                return NOT_CANONICAL;
            }
            i = value(s, i + 1, depth);
            if (i == NOT_CANONICAL || i >= s.length())
            {
                return NOT_CANONICAL;
            }
            final char next = s.charAt(i);
            if (next == '}')
            {
                return i + 1;
            }
            if (next != ',')
            {
                return NOT_CANONICAL;
            }
            i++;
        }
    }

    private static int array(final String s, final int start, final int depth)
    {
        int i = start;
        if (i < s.length() && s.charAt(i) == ']')
        {
            return i + 1;
        }
        while (true)
        {
            i = value(s, i, depth);
            if (i == NOT_CANONICAL || i >= s.length())
            {
                return NOT_CANONICAL;
            }
            final char next = s.charAt(i);
            if (next == ']')
            {
                return i + 1;
            }
            if (next != ',')
            {
                return NOT_CANONICAL;
            }
            i++;
        }
    }

    /**
     * A key with no escapes at all, so that its raw characters sort as the decoded key does.
     *
     * @return the index of the closing quote.
     */
    private static int plainKey(final String s, final int start)
    {
        for (int i = start; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c == '"')
            {
                return i;
            }
            if (c < 0x20 || c == '\\' || Character.isSurrogate(c))
            {
                return NOT_CANONICAL;
            }
        }
        return NOT_CANONICAL;
    }

    /**
     * A string whose escapes are the short ones Jackson writes itself.
     */
    private static int string(final String s, final int start)
    {
        for (int i = start; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c == '"')
            {
                return i + 1;
            }
            if (c < 0x20)
            {
                return NOT_CANONICAL;
            }
            if (Character.isSurrogate(c))
            {
                // a pair is one character, written as its UTF-8; a lone surrogate is escaped
                if (!Character.isHighSurrogate(c) || i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))
                {
                    return NOT_CANONICAL;
                }
                i++;
                continue;
            }
            if (c == '\\')
            {
                if (++i >= s.length())
                {
                    return NOT_CANONICAL;
                }
                final char e = s.charAt(i);
                if (e != '"' && e != '\\' && e != 'n' && e != 't' && e != 'r' && e != 'b' && e != 'f')
                {
                    return NOT_CANONICAL;
                }
            }
        }
        return NOT_CANONICAL;
    }

    /**
     * A number in the canonical layout of {@link CanonicalNumber} without an exponent: an integer of at most 21
     * digits without leading zeros (and not {@code -0}), or a fraction whose last digit is not 0, with at most 21
     * digits before the point, or, before a {@code 0.}, at most five zeros after it.
     */
    private static int number(final String s, final int start)
    {
        int i = start;
        if (s.charAt(i) == '-')
        {
            i++;
        }
        final int digits = i;
        i = digitsEnd(s, i);
        final int intDigits = i - digits;
        if (intDigits == 0 || intDigits > 21 || (s.charAt(digits) == '0' && intDigits > 1))
        {
            return NOT_CANONICAL;
        }
        final boolean zero = s.charAt(digits) == '0';
        if (i < s.length() && s.charAt(i) == '.')
        {
            final int fraction = i + 1;
            i = digitsEnd(s, fraction);
            if (i == fraction || s.charAt(i - 1) == '0')
            {
                return NOT_CANONICAL;
            }
            if (zero)
            {
                int zeros = 0;
                while (s.charAt(fraction + zeros) == '0')
                {
                    zeros++;
                }
                if (zeros > 5)
                {
                    return NOT_CANONICAL;
                }
            }
        }
        else if (zero && digits > start)
        {
            return NOT_CANONICAL; // -0
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E'))
        {
            return NOT_CANONICAL;
        }
        return i;
    }

    private static int digitsEnd(final String s, final int start)
    {
        int i = start;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9')
        {
            i++;
        }
        return i;
    }

    private static int literal(final String s, final int start, final String word)
    {
        return s.startsWith(word, start) ? start + word.length() : NOT_CANONICAL;
    }

    private static int compare(final String s, final int aStart, final int aEnd, final int bStart, final int bEnd)
    {
        final int aLength = aEnd - aStart;
        final int bLength = bEnd - bStart;
        final int n = Math.min(aLength, bLength);
        for (int k = 0; k < n; k++)
        {
            final int d = s.charAt(aStart + k) - s.charAt(bStart + k);
            if (d != 0)
            {
                return d;
            }
        }
        return aLength - bLength;
    }
}
