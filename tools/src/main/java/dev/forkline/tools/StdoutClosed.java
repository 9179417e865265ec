package dev.forkline.tools;

/**
 * Stops a command whose stdout can no longer be written: its reader went away (a closed pipe, which ends the command
 * quietly), or a write failed (reported).
 */
final class StdoutClosed extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    StdoutClosed()
    {
        super("stdout was closed", null, false, false);
    }
}
