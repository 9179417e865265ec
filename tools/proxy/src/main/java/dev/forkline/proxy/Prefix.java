package dev.forkline.proxy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The digest of the first {@code length} messages of a conversation: a SHA-256 chain over the messages, cut to
 * 128 bits. Two conversations with the same prefix of messages have the same prefix digests, so a request
 * continues a session when its prefix of the session's length has the session's digest; nothing else is kept
 * of a session's messages.
 *
 * @param high   the first 64 bits of the chained digest.
 * @param low    the next 64 bits.
 * @param length the number of messages covered.
 */
record Prefix(long high, long low, int length)
{
    static final Prefix EMPTY = new Prefix(0, 0, 0);

    /**
     * @return the digest of this prefix followed by {@code message}.
     */
    Prefix then(final Message message)
    {
        final MessageDigest sha = sha256();
        final ByteBuffer previous = ByteBuffer.allocate(16).putLong(high).putLong(low);
        sha.update(previous.array());
        sha.update(message.digestText().getBytes(StandardCharsets.UTF_8));
        final ByteBuffer digest = ByteBuffer.wrap(sha.digest());
        return new Prefix(digest.getLong(), digest.getLong(), length + 1);
    }

    /**
     * @return the digests of every prefix of {@code messages}: element i covers the first i + 1 messages.
     */
    static List<Prefix> chain(final List<Message> messages)
    {
        final List<Prefix> out = new ArrayList<>(messages.size());
        Prefix prefix = EMPTY;
        for (final Message message : messages)
        {
            prefix = prefix.then(message);
            out.add(prefix);
        }
        return out;
    }

    private static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("the JVM has no SHA-256", ex);
        }
    }
}
