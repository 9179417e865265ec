package dev.forkline.tools;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Counts the bytes written through it into a {@link ProgressBar}.
 */
final class ProgressOutputStream extends FilterOutputStream
{
    private final ProgressBar progress;
    private long written;

    ProgressOutputStream(final OutputStream out, final ProgressBar progress)
    {
        super(out);
        this.progress = progress;
    }

    @Override
    public void write(final int b) throws IOException
    {
        out.write(b);
        progress.update(++written);
    }

    @Override
    public void write(final byte[] bytes, final int offset, final int length) throws IOException
    {
        out.write(bytes, offset, length);
        written += length;
        progress.update(written);
    }

    @Override
    public void close() throws IOException
    {
        progress.finish();
        super.close();
    }
}
