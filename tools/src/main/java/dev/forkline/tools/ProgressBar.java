package dev.forkline.tools;

import java.io.PrintWriter;

/**
 * A one-line progress bar on stderr, redrawn at most ten times a second; silent when disabled (stderr
 * is not a terminal).
 */
final class ProgressBar
{
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean enabled;
    private final String label;
    private final long total;
    private long lastDraw;
    private boolean drawn;

    ProgressBar(final PrintWriter err, final boolean enabled, final String label, final long total)
    {
        this.err = err;
        this.enabled = enabled;
        this.label = label;
        this.total = total;
    }

    void update(final long done)
    {
        if (!enabled)
        {
            return;
        }
        final long now = System.nanoTime();
        if (drawn && now - lastDraw < REDRAW_NANOS)
        {
            return;
        }
        lastDraw = now;
        drawn = true;
        final StringBuilder line = new StringBuilder("\r").append(label).append(' ');
        if (total > 0)
        {
            final int filled = (int)Math.min(WIDTH, done * WIDTH / total);
            line.append('[').append("#".repeat(filled)).append(" ".repeat(WIDTH - filled)).append("] ")
                .append(Math.min(100, done * 100 / total)).append("% ");
        }
        err.print(line.append(done).append(total > 0 ? "/" + total : ""));
        err.flush();
    }

    void finish()
    {
        if (enabled && drawn)
        {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
