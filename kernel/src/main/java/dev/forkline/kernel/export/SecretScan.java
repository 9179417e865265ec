package dev.forkline.kernel.export;

import org.agrona.collections.Int2ObjectHashMap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The prefilter of redaction: one pass over a payload's raw bytes that says which {@link SecretRule}s could match
 * anywhere in it, so that no string is decoded and no rule runs where none can.
 * <p>
 * Design note: almost no payload holds a secret, so the pass must cost next to nothing where there is none. The
 * anchors of the rules are made of letters that are everywhere in text, so no one byte is a rare key to look for.
 * Two bytes are: each anchor is found by its rarest three adjacent bytes (by English letter frequencies, upper case
 * rarer than lower; {@code cre} for {@code secret}), that is by the two pairs of bytes in them. The pass reads the
 * text two bytes at a time, and looks each pair up in a table of the key pairs (64 KiB, of which text touches a few
 * rows); since any three adjacent bytes hold a pair that starts at an even offset, a pass of half as many steps sees
 * every anchor. Only where a pair is a key are the anchors around it compared. Keyword anchors ({@code token},
 * {@code secret}) count only when followed by what an assignment looks like, so {@code "prompt_tokens":} in a usage
 * object is passed over.
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

    /**
     * An anchor, found by a pair of its bytes, at {@code key} and {@code key + 1}; {@code head} holds its first eight
     * bytes (big-endian, fewer when shorter, lower case when matched in any case), {@code headMask} the bytes of it that
     * count, and {@code fold} the case bit of its letters when matched in any case, for a compare of eight bytes at once.
     */
    private record Anchor(byte[] bytes, int key, boolean anyCase, boolean assignment, long rules, long head, long headMask,
        long fold)
    {
        static Anchor of(final byte[] bytes, final int key, final boolean anyCase, final boolean assignment, final long rules)
        {
            long head = 0;
            long mask = 0;
            long fold = 0;
            for (int j = 0; j < Long.BYTES; j++)
            {
                head <<= 8;
                mask <<= 8;
                fold <<= 8;
                if (j < bytes.length)
                {
                    head |= bytes[j] & 0xff;
                    mask |= 0xff;
                    fold |= anyCase && bytes[j] >= 'a' && bytes[j] <= 'z' ? 0x20 : 0;
                }
            }
            return new Anchor(bytes, key, anyCase, assignment, rules, head, mask, fold);
        }
    }

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /**
     * Entry {@code b0 << 8 | b1} is, when the pair of bytes b0, b1 is a key of anchors, the number of their group in
     * {@link #GROUPS}, from 1; else 0.
     */
    private static final byte[] KEY_PAIRS = new byte[65536];
    private static final Anchor[][] GROUPS;

    /**
     * Pairs of letters that are everywhere in English, code and JSON (as found in agent trajectories): a key made of
     * one would be met at every other step.
     */
    private static final java.util.Set<String> COMMON_PAIRS = java.util.Set.of(("th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le " +
        "ve co me de hi ri ro ic ne ea ra ce li ch ll be ma si om ur ec lo ai ho ls ke rk iv ck sp lc ld va cr ok pp wo hr " +
        "lf el ap ca ss ta ge la na pe us ut ot ow wa wh ac id ad di im em ex et ly ol il pr po pa mo mi ni no so sh un up " +
        "ul ey -- e_ _t e- _c _i s_ t_ d_ n_").split(" "));

    static
    {
        if (SecretRule.values().length > 63)
        {
            throw new IllegalStateException("a rule mask holds at most 63 rules");
        }
        final Int2ObjectHashMap<List<Anchor>> byPair = new Int2ObjectHashMap<>();
        for (final SecretRule rule : SecretRule.values())
        {
            for (final SecretRule.Anchors anchors : rule.anchors())
            {
                for (final String word : anchors.words())
                {
                    add(byPair, word, anchors.anyCase(), anchors.assignment(), 1L << rule.ordinal());
                }
            }
        }
        for (int digit = '2'; digit <= '7'; digit++)
        {
            add(byPair, "\\u00" + (char)digit, false, false, ALL); // an escape that may stand for a byte of an anchor
        }
        final List<Anchor[]> groups = new ArrayList<>();
        groups.add(null);
        byPair.forEach((pair, anchors) ->
        {
            if (groups.size() > 255)
            {
                throw new IllegalStateException("more than 255 key pairs");
            }
            KEY_PAIRS[pair] = (byte)groups.size();
            groups.add(anchors.toArray(new Anchor[0]));
        });
        GROUPS = groups.toArray(new Anchor[0][]);
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
        final byte[] keyPairs = KEY_PAIRS;
        long rules = 0;
        for (int i = offset; i + 1 < end; i += 2)
        {
            final int group = keyPairs[(text[i] & 0xff) << 8 | text[i + 1] & 0xff];
            if (group != 0)
            {
                rules |= check(text, offset, end, i, group & 0xff, rules);
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

    /**
     * @return the rules of the anchors of the group whose key pair is the one at {@code at}, and which are there.
     */
    private static long check(final byte[] text, final int offset, final int end, final int at, final int group,
        final long found)
    {
        long rules = 0;
        for (final Anchor anchor : GROUPS[group])
        {
            if ((found & anchor.rules) != anchor.rules && matches(text, offset, end, at - anchor.key, anchor))
            {
                rules |= anchor.rules;
            }
        }
        return rules;
    }

    private static boolean matches(final byte[] text, final int offset, final int end, final int start, final Anchor anchor)
    {
        final byte[] word = anchor.bytes;
        if (start < offset || start + word.length > end)
        {
            return false;
        }
        int j = 0;
        if (start + Long.BYTES <= end)
        {
            final long bytes = (long)LONG.get(text, start);
            if (((bytes | anchor.fold) & anchor.headMask) != anchor.head)
            {
                return false;
            }
            j = Long.BYTES;
        }
        for (; j < word.length; j++)
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

    /**
     * Adds an anchor under both pairs of its rarest three adjacent bytes (a pass of even steps meets one of them).
     */
    private static void add(final Int2ObjectHashMap<List<Anchor>> byPair, final String word, final boolean anyCase,
        final boolean assignment, final long rules)
    {
        final byte[] bytes = word.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length < 3)
        {
            throw new IllegalStateException("an anchor has at least three bytes: " + word);
        }
        int key = 0;
        for (int j = 1; j + 2 < bytes.length; j++)
        {
            if (tripleCommonness(bytes, j, anyCase) < tripleCommonness(bytes, key, anyCase))
            {
                key = j;
            }
        }
        for (int at = key; at <= key + 1; at++)
        {
            final Anchor anchor = Anchor.of(bytes, at, anyCase, assignment, rules);
            for (final int first : cases(bytes[at], anyCase))
            {
                for (final int second : cases(bytes[at + 1], anyCase))
                {
                    byPair.computeIfAbsent(first << 8 | second, p -> new ArrayList<>()).add(anchor);
                }
            }
        }
    }

    private static int[] cases(final byte b, final boolean anyCase)
    {
        return anyCase && b >= 'a' && b <= 'z' ? new int[] {b, b - 0x20} : new int[] {b & 0xff};
    }

    /**
     * @return how often the two pairs of three adjacent bytes from {@code at} occur, roughly: what a key of them costs.
     */
    private static double tripleCommonness(final byte[] bytes, final int at, final boolean anyCase)
    {
        return pairCommonness(bytes[at], bytes[at + 1], anyCase) + pairCommonness(bytes[at + 1], bytes[at + 2], anyCase);
    }

    private static double pairCommonness(final byte first, final byte second, final boolean anyCase)
    {
        final double product = commonness(first, anyCase) * commonness(second, anyCase);
        return COMMON_PAIRS.contains(("" + (char)first + (char)second).toLowerCase(java.util.Locale.ROOT)) ? product * 20 : product;
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
            case '_', '.' -> 2;
            case '-', '/' -> 1.5;
            case '{', '}', '[', ']' -> 1;
            default -> 0.8;
        };
    }
}
