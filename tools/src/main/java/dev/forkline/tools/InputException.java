package dev.forkline.tools;

/**
 * Bad input from the user: a malformed file (named with its line), a bad argument. Reported on one line
 * with exit code 2.
 */
final class InputException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    InputException(final String message)
    {
        super(message);
    }

    InputException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
