package dev.forkline.tools;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, redrawn at most ten times a second; silent when disabled (stderr
 * is not a terminal).
 */
final class ProgressBar
{
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final double MIB = 1024 * 1024;

    private final PrintWriter err;
    private final boolean enabled;
    private final String label;
    private final long total;
    private final boolean bytes;
    private long done;
    private long lastDraw;
    private boolean drawn;

    ProgressBar(final PrintWriter err, final boolean enabled, final String label, final long total)
    {
        this(err, enabled, label, total, false);
    }

    /**
     * @param total of what is counted, 0 when unknown (no bar is drawn then, only the count).
     * @param bytes whether bytes are counted, shown in MiB.
     */
    ProgressBar(final PrintWriter err, final boolean enabled, final String label, final long total, final boolean bytes)
    {
        this.err = err;
        this.enabled = enabled;
        this.label = label;
        this.total = total;
        this.bytes = bytes;
    }

    /**
     * Counts {@code count} more done.
     */
    void advance(final long count)
    {
        update(done + count);
    }

    void update(final long done)
    {
        this.done = done;
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
        if (bytes)
        {
            line.append(String.format(Locale.ROOT, "%.1f", Math.min(done, total > 0 ? total : done) / MIB))
                .append(total > 0 ? String.format(Locale.ROOT, "/%.1f", total / MIB) : "").append(" MiB");
        }
        else
        {
            line.append(done).append(total > 0 ? "/" + total : "");
        }
        err.print(line);
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
