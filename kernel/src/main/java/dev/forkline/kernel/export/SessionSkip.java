package dev.forkline.kernel.export;

/**
 * Thrown inside an export when one session cannot be exported; the exporter records the reason in the
 * summary and goes on with the next session.
 */
final class SessionSkip extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    SessionSkip(final String reason)
    {
        super(reason, null, false, false);
    }
}
