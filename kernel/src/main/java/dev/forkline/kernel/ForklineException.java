package dev.forkline.kernel;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The one exception type of the kernel for real failures: a store that cannot be opened, a corrupt
 * event, an unknown branch. Caller mistakes (a malformed id, a payload over the limit) are
 * {@link IllegalArgumentException}s raised at the API boundary.
 */
public final class ForklineException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** Why the operation failed. */
    public enum Reason
    {
        /** The JVM was started without the flags Chronicle Queue and Agrona need; the message lists them. */
        MISSING_JVM_FLAGS,
        /** Another process (or another {@link Store} in this one) is writing the store. */
        STORE_LOCKED,
        /** The store was closed; nothing more can be appended or read through it. */
        STORE_CLOSED,
        /** The store was opened read-only and cannot be written. */
        READ_ONLY,
        /** The directory holds no store (read-only open of a missing store). */
        NO_STORE,
        /** No session or branch of that name exists in the store. */
        UNKNOWN_BRANCH,
        /** The step is not (yet) in the branch. */
        STEP_OUT_OF_RANGE,
        /** An event failed its checksum or its header is not a Forkline header. */
        CORRUPT_EVENT,
        /**
         * A journal file was cut short (truncated), so the store does not open: reading it could touch memory past
         * the end of the file. The message names the file; {@link Store#verify(java.nio.file.Path)} says what was lost.
         */
        CORRUPT_JOURNAL,
        /** The store's file system has less free space than the store keeps in reserve; nothing more is appended. */
        DISK_FULL,
        /** The file system failed under the store. */
        IO_ERROR
    }

    private final Reason reason;

    /**
     * @param reason  why it failed.
     * @param message one line that names what was wrong.
     */
    public ForklineException(final Reason reason, final String message)
    {
        super(message);
        this.reason = reason;
    }

    /**
     * @param reason  why it failed.
     * @param message one line that names what was wrong.
     * @param cause   the underlying failure.
     */
    public ForklineException(final Reason reason, final String message, final Throwable cause)
    {
        super(message, cause);
        this.reason = reason;
    }

    /**
     * @param what  what failed, as in {@code cannot lock store DIR}.
     * @param cause the failure of the file system.
     * @return an {@code IO_ERROR} whose message is {@code what: PATH: reason}, the reason in the words of the
     * operating system ({@code Permission denied}, {@code No space left on device}), which Java's own message
     * leaves out for the commonest failures.
     */
    public static ForklineException ioError(final String what, final IOException cause)
    {
        return new ForklineException(Reason.IO_ERROR, what + ": " + describe(cause), cause);
    }

    private static String describe(final IOException ex)
    {
        if (ex instanceof FileSystemException fs && fs.getFile() != null)
        {
            final String reason = fs.getReason() != null ? fs.getReason() :
                ex instanceof AccessDeniedException ? "Permission denied" :
                ex instanceof NoSuchFileException ? "No such file or directory" :
                ex instanceof NotDirectoryException ? "Not a directory" :
                ex instanceof FileAlreadyExistsException ? "File exists" :
                ex instanceof DirectoryNotEmptyException ? "Directory not empty" : ex.getClass().getSimpleName();
            return fs.getFile() + (fs.getOtherFile() == null ? "" : " -> " + fs.getOtherFile()) + ": " + reason;
        }
        return ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    }

    /**
     * @return why the operation failed.
     */
    public Reason reason()
    {
        return reason;
    }
}
