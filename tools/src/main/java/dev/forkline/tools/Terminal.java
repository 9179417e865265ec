package dev.forkline.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether stdout and stderr are terminals, for colours and progress bars. The launcher script tells
 * ({@code -Dforkline.tty.stdout=true}); otherwise Linux's {@code /proc/self/fd} does.
 */
final class Terminal
{
    private Terminal()
    {
    }

    static boolean stdout()
    {
        return isTerminal("stdout", 1) && System.getenv("NO_COLOR") == null;
    }

    static boolean stderr()
    {
        return isTerminal("stderr", 2);
    }

    private static boolean isTerminal(final String stream, final int fd)
    {
        final String told = System.getProperty("forkline.tty." + stream);
        if (told != null)
        {
            return Boolean.parseBoolean(told);
        }
        try
        {
            final String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        }
        catch (final IOException | UnsupportedOperationException | SecurityException ex)
        {
            return false;
        }
    }
}
