package dev.forkline.proxy;

/**
 * The upstream could not be reached, did not answer in time, or broke off: answered to the client as
 * {@code status} (502 or 504) with the message, and recorded as an upstream error.
 */
final class UpstreamException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    final int status;

    UpstreamException(final int status, final String message)
    {
        super(message);
        this.status = status;
    }
}
