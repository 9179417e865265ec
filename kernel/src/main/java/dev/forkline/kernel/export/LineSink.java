package dev.forkline.kernel.export;

import dev.forkline.kernel.ForklineException;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Buffers the output lines and counts their bytes. Writes to the stream only whole buffers, and at
 * {@link #flush()}.
 */
final class LineSink
{
    private final OutputStream out;
    private final byte[] buffer = new byte[1 << 17];
    private int position;
    private long bytes;

    LineSink(final OutputStream out)
    {
        this.out = out;
    }

    long bytes()
    {
        return bytes + position;
    }

    LineSink put(final byte[] source)
    {
        return put(source, 0, source.length);
    }

    LineSink put(final byte[] source, final int offset, final int length)
    {
        if (length > buffer.length - position)
        {
            drain();
            if (length > buffer.length)
            {
                write(source, offset, length);
                bytes += length;
                return this;
            }
        }
        System.arraycopy(source, offset, buffer, position, length);
        position += length;
        return this;
    }

    /**
     * Appends a text of ASCII characters only (JSON punctuation, keys, numbers, names of a restricted alphabet).
     */
    @SuppressWarnings("deprecation")
    LineSink putAscii(final String ascii)
    {
        final int length = ascii.length();
        if (length > buffer.length - position)
        {
            drain();
        }
        if (length > buffer.length)
        {
            return put(ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        ascii.getBytes(0, length, buffer, position); // exact for ASCII, and copy-free
        position += length;
        return this;
    }

    LineSink put(final byte b)
    {
        if (position == buffer.length)
        {
            drain();
        }
        buffer[position++] = b;
        return this;
    }

    void flush()
    {
        drain();
        try
        {
            out.flush();
        }
        catch (final IOException ex)
        {
            throw failure(ex);
        }
    }

    private void drain()
    {
        if (position > 0)
        {
            write(buffer, 0, position);
            bytes += position;
            position = 0;
        }
    }

    private void write(final byte[] source, final int offset, final int length)
    {
        try
        {
            out.write(source, offset, length);
        }
        catch (final IOException ex)
        {
            throw failure(ex);
        }
    }

    private static ForklineException failure(final IOException ex)
    {
        return new ForklineException(ForklineException.Reason.IO_ERROR, "cannot write the export: " + ex.getMessage(),
            new UncheckedIOException(ex));
    }
}
