package dev.forkline.kernel.export;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The prefilter of redaction: one pass over a payload's raw bytes that says which {@link SecretRule}s could match
 * anywhere in it, so that no string is decoded and no rule runs where none can.
 * <p>
 * Design note: almost no payload holds a secret, and the anchors of the rules start with letters that are everywhere
 * in text ({@code s}, {@code a}, {@code t}...). So each anchor is looked for by its rarest byte (by English letter
 * frequency, upper case rarer than lower): the scan tests each byte against a table of those key bytes and compares
 * the anchors around a byte that is one. Keyword anchors ({@code token}, {@code secret}) count only when followed by
 * what an assignment looks like, so {@code "prompt_tokens":} in a usage object is passed over.
 * <p>
 * An escape can hide an anchor from the raw bytes: {@code sk-} written with its {@code s} as a backslash-u escape
 * is {@code sk-} once decoded. Such escapes of printable ASCII (code points 0x20 to 0x7e) are rare in what JSON
 * writers produce (Go's escapes {@code <}, {@code >} and {@code &}), and any one of them makes every rule a
 * candidate. Other escapes (a line break, a non-ASCII letter) cannot stand for a byte of an anchor; an escaped
 * slash can, in {@code ://}, which has its own anchor for it.
 */
final class SecretScan
{
    /** Every rule. */
    static final long ALL = (1L << SecretRule.values().length) - 1;

    private static final int MAX_ASSIGNMENT_SUFFIX = 64;
    private static final int MAX_ASSIGNMENT_GAP = 12;

    /** An anchor, found by its byte at {@code key}. */
    private record Anchor(byte[] bytes, int key, boolean anyCase, boolean assignment, long rules)
    {
    }

    private static final Anchor[][] BY_KEY_BYTE = new Anchor[256][];

    static
    {
        if (SecretRule.values().length > 63)
        {
            throw new IllegalStateException("a rule mask holds at most 63 rules");
        }
        final List<List<Anchor>> byKey = new ArrayList<>();
        for (int b = 0; b < 256; b++)
        {
            byKey.add(new ArrayList<>());
        }
        for (final SecretRule rule : SecretRule.values())
        {
            for (final SecretRule.Anchors anchors : rule.anchors())
            {
                for (final String word : anchors.words())
                {
                    add(byKey, word, anchors.anyCase(), anchors.assignment(), 1L << rule.ordinal());
                }
            }
        }
        for (int digit = '2'; digit <= '7'; digit++)
        {
            add(byKey, "\\u00" + (char)digit, false, false, ALL); // an escape that may stand for a byte of an anchor
        }
        for (int b = 0; b < 256; b++)
        {
            BY_KEY_BYTE[b] = byKey.get(b).isEmpty() ? null : byKey.get(b).toArray(new Anchor[0]);
        }
    }

    private SecretScan()
    {
    }

    /**
     * @return a mask of the rules (bit {@link SecretRule#ordinal()}) that may match in {@code length} bytes of UTF-8
     * (or of JSON text) from {@code offset}; 0 when none can.
     */
    static long candidates(final byte[] text, final int offset, final int length)
    {
        final int end = offset + length;
        long rules = 0;
        for (int i = offset; i < end; i++)
        {
            final Anchor[] anchors = BY_KEY_BYTE[text[i] & 0xff];
            if (anchors != null)
            {
                for (final Anchor anchor : anchors)
                {
                    if ((rules & anchor.rules) != anchor.rules && matches(text, offset, end, i - anchor.key, anchor))
                    {
                        rules |= anchor.rules;
                    }
                }
            }
        }
        return rules;
    }

    /**
     * @return the candidates in a decoded text.
     */
    static long candidates(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return candidates(bytes, 0, bytes.length);
    }

    private static boolean matches(final byte[] text, final int offset, final int end, final int start, final Anchor anchor)
    {
        final byte[] word = anchor.bytes;
        if (start < offset || start + word.length > end)
        {
            return false;
        }
        for (int j = 0; j < word.length; j++)
        {
            final int b = text[start + j];
            if (b != word[j] && !(anchor.anyCase && b >= 'A' && b <= 'Z' && (b | 0x20) == word[j]))
            {
                return false;
            }
        }
        return !anchor.assignment || isAssignment(text, start + word.length, end);
    }

    /**
     * @return true when what follows a keyword ends like the name of an assignment: {@code _part}s, then within a few
     * bytes of quotes, backslashes and blanks, a {@code :} or {@code =}.
     */
    private static boolean isAssignment(final byte[] text, final int from, final int end)
    {
        int i = from;
        final int suffixEnd = Math.min(end, from + MAX_ASSIGNMENT_SUFFIX);
        while (i + 1 < suffixEnd && (text[i] == '_' || text[i] == '.' || text[i] == '-') && isAlphanumeric(text[i + 1]))
        {
            i++;
            while (i < suffixEnd && isAlphanumeric(text[i]))
            {
                i++;
            }
        }
        final int gapEnd = Math.min(end, i + MAX_ASSIGNMENT_GAP);
        for (; i < gapEnd; i++)
        {
            final int b = text[i];
            if (b == ':' || b == '=')
            {
                return true;
            }
            if (b != '"' && b != '\'' && b != '\\' && b != ' ' && b != '\t' && b != 't')
            {
                return false;
            }
        }
        return false;
    }

    private static boolean isAlphanumeric(final int b)
    {
        return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z';
    }

    private static void add(final List<List<Anchor>> byKey, final String word, final boolean anyCase, final boolean assignment,
        final long rules)
    {
        final byte[] bytes = word.getBytes(StandardCharsets.US_ASCII);
        int key = 0;
        for (int j = 1; j < bytes.length; j++)
        {
            if (commonness(bytes[j], anyCase) < commonness(bytes[key], anyCase))
            {
                key = j;
            }
        }
        final Anchor anchor = new Anchor(bytes, key, anyCase, assignment, rules);
        byKey.get(bytes[key] & 0xff).add(anchor);
        if (anyCase && bytes[key] >= 'a' && bytes[key] <= 'z')
        {
            byKey.get((bytes[key] - 0x20) & 0xff).add(anchor);
        }
    }

    /**
     * @return how often a byte occurs in agent text, roughly (English letter frequencies in percent, upper case a tenth
     * of lower case; JSON punctuation and digits guessed).
     */
    private static double commonness(final byte b, final boolean anyCase)
    {
        final String letters = "etaoinshrdlcumwfgypbvkjxqz";
        final double[] percent = {12.7, 9.1, 8.2, 7.5, 7.0, 6.7, 6.3, 6.1, 6.0, 4.3, 4.0, 2.8, 2.8, 2.4, 2.4, 2.2, 2.0, 2.0,
            1.9, 1.5, 1.0, 0.8, 0.15, 0.15, 0.1, 0.07};
        final int lower = b | 0x20;
        final int letter = b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' ? letters.indexOf(lower) : -1;
        if (letter >= 0)
        {
            final double frequency = percent[letter];
            return anyCase ? frequency * 1.1 : b >= 'a' ? frequency : frequency / 10;
        }
        if (b >= '0' && b <= '9')
        {
            return 3;
        }
        return switch (b)
        {
            case ' ' -> 15;
            case '"' -> 5;
            case '\\' -> 2.5;
            case ':', ',' -> 2;
            case '_', '.' -> 1.5;
            case '-', '/' -> 1.2;
            case '{', '}', '[', ']' -> 1;
            default -> 0.8;
        };
    }
}
