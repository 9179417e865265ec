package dev.forkline.kernel;

import org.agrona.DirectBuffer;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Computes the links of a branch's hash chain (see {@link ChainSealDescriptor}). Reuses its digest and
 * buffers; one instance per thread.
 */
final class ChainHash
{
    static final byte[] ZERO = new byte[ChainSealDescriptor.HASH_LENGTH];

    private final MessageDigest sha256;
    private final byte[] recordDigest = new byte[ChainSealDescriptor.HASH_LENGTH];
    private byte[] copy = new byte[4096];

    ChainHash()
    {
        try
        {
            sha256 = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
        }
    }

    /**
     * Writes {@code SHA-256(record)} into {@code out}.
     */
    void digestRecord(final DirectBuffer record, final int offset, final int length, final byte[] out)
    {
        if (copy.length < length)
        {
            copy = new byte[Math.max(length, copy.length * 2)];
        }
        record.getBytes(offset, copy, 0, length);
        sha256.update(copy, 0, length);
        finish(out);
    }

    /**
     * Writes {@code SHA-256(previous || recordDigest)} into {@code out}.
     */
    void link(final byte[] previous, final byte[] recordDigest, final byte[] out)
    {
        sha256.update(previous == null ? ZERO : previous);
        sha256.update(recordDigest);
        finish(out);
    }

    /**
     * Writes the link of a record whose predecessor's link is {@code previous} into {@code out}.
     */
    void linkRecord(final byte[] previous, final DirectBuffer record, final int offset, final int length, final byte[] out)
    {
        digestRecord(record, offset, length, recordDigest);
        link(previous, recordDigest, out);
    }

    private void finish(final byte[] out)
    {
        try
        {
            sha256.digest(out, 0, out.length);
        }
        catch (final DigestException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
