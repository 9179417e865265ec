package dev.forkline.tools;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The process's stdout, file descriptor 1, written without a buffer of its own. It keeps the first write that
 * failed, so the command line can tell a reader that went away (a closed pipe: {@code forkline tail -f | head -1})
 * from a failure to report (a full disk under {@code > file}).
 * <p>
 * Design note: a reader closing its end of a pipe is seen by the next write (EPIPE). A command that waits for
 * input and writes nothing meanwhile ({@code tail -f} on an idle store) would never see it, so
 * {@link #readerGone()} asks the kernel with {@code poll(2)}, which flags the write end of a pipe whose readers
 * are all gone with {@code POLLERR}, as GNU {@code tail -f} does. Java has no poll of an arbitrary file
 * descriptor, so the call goes through JNA (a dependency of Chronicle Queue's already); where it cannot be
 * made, only failed writes tell.
 */
final class StdoutStream extends OutputStream
{
    private static final int STDOUT = 1;
    private static final short POLLERR = 0x8;

    private static Function poll;
    private static Memory pollfd;
    private static boolean pollUnavailable;

    private final FileOutputStream out = new FileOutputStream(FileDescriptor.out);
    private volatile IOException failure;

    @Override
    public void write(final int b) throws IOException
    {
        checkFailure();
        try
        {
            out.write(b);
        }
        catch (final IOException ex)
        {
            throw failed(ex);
        }
    }

    @Override
    public void write(final byte[] bytes, final int offset, final int length) throws IOException
    {
        checkFailure();
        try
        {
            out.write(bytes, offset, length);
        }
        catch (final IOException ex)
        {
            throw failed(ex);
        }
    }

    /**
     * @return the first write that failed, or null.
     */
    IOException failure()
    {
        return failure;
    }

    /**
     * @return true when stdout is a pipe or socket whose reader has gone: what ends a command quietly.
     */
    boolean closedByReader()
    {
        return failure != null && isBrokenPipe(failure) || readerGone();
    }

    /**
     * @return true when stdout is a pipe whose readers have all closed it, as {@code poll(2)} tells; false when it
     * is not, or cannot be told.
     */
    static synchronized boolean readerGone()
    {
        if (pollUnavailable)
        {
            return false;
        }
        try
        {
            if (poll == null)
            {
                poll = NativeLibrary.getInstance("c").getFunction("poll");
                pollfd = new Memory(8); // struct pollfd { int fd; short events; short revents; }
            }
            pollfd.setInt(0, STDOUT);
            pollfd.setShort(4, (short)0);
            pollfd.setShort(6, (short)0);
            return poll.invokeInt(new Object[] {pollfd, 1, 0}) > 0 && (pollfd.getShort(6) & POLLERR) != 0;
        }
        catch (final LinkageError | RuntimeException ex)
        {
            pollUnavailable = true;
            return false;
        }
    }

    /**
     * @return true when {@code failure}, or one of its causes, is the error of a write into a pipe or socket that
     * no one reads any more (EPIPE).
     */
    static boolean isBrokenPipe(final Throwable failure)
    {
        for (Throwable cause = failure; cause != null; cause = cause.getCause())
        {
            if (cause instanceof IOException && cause.getMessage() != null && cause.getMessage().contains("Broken pipe"))
            {
                return true;
            }
            if (cause.getCause() == cause)
            {
                break;
            }
        }
        return false;
    }

    private void checkFailure() throws IOException
    {
        final IOException failed = failure;
        if (failed != null)
        {
            throw new IOException(failed.getMessage(), failed);
        }
    }

    private IOException failed(final IOException ex)
    {
        if (failure == null)
        {
            failure = ex;
        }
        return ex;
    }
}
