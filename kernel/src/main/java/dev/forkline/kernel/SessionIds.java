package dev.forkline.kernel;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Session ids: validation of given ones, and generation of time-ordered ones (ULIDs).
 */
final class SessionIds
{
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private SessionIds()
    {
    }

    /**
     * @throws IllegalArgumentException when {@code id} is not a valid session id.
     */
    static String validate(final String id)
    {
        if (id == null || !VALID.matcher(id).matches())
        {
            throw new IllegalArgumentException(
                "invalid session id '" + id + "': expected 1 to 128 characters of [A-Za-z0-9._:-]");
        }
        return id;
    }

    /**
     * @return a new ULID: 48 bits of epoch milliseconds then 80 random bits, 26 Crockford base-32 characters,
     * so ids sort in creation order.
     */
    static String newUlid()
    {
        final long millis = System.currentTimeMillis();
        final byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        final char[] out = new char[26];
        long time = millis;
        for (int i = 9; i >= 0; i--)
        {
            out[i] = CROCKFORD[(int)(time & 31)];
            time >>>= 5;
        }
        // 80 random bits -> 16 characters of 5 bits
        long hi = 0;
        for (int i = 0; i < 5; i++)
        {
            hi = (hi << 8) | (random[i] & 0xFF);
        }
        long lo = 0;
        for (int i = 5; i < 10; i++)
        {
            lo = (lo << 8) | (random[i] & 0xFF);
        }
        for (int i = 17; i >= 10; i--)
        {
            out[i] = CROCKFORD[(int)(hi & 31)];
            hi >>>= 5;
        }
        for (int i = 25; i >= 18; i--)
        {
            out[i] = CROCKFORD[(int)(lo & 31)];
            lo >>>= 5;
        }
        return new String(out);
    }
}
