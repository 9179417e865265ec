package dev.forkline.tools;

import dev.forkline.kernel.Event;
import dev.forkline.kernel.EventView;
import dev.forkline.kernel.ForklineException;
import dev.forkline.kernel.JournalCursor;
import dev.forkline.kernel.Store;
import dev.forkline.kernel.export.Exporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

@Command(name = "tail", mixinStandardHelpOptions = true,
    description = {"Print the last events of the store in the order they were written, across sessions.",
        "With -f, keep following a store that another process is writing (stop with Ctrl-C), waiting for it to be created " +
            "when there is none yet, as tail -F does; it ends when the reader of its output has gone (tail -f | head -1)."})
final class TailCommand implements Callable<Integer>
{
    private static final long POLL_NANOS = 20_000_000L;
    private static final long STORE_POLL_NANOS = 100_000_000L;
    private static final int MAX_OPEN_RETRIES = 50;

    @Mixin
    CommonOptions options;

    @Option(names = {"-f", "--follow"}, description = "Print events as they arrive.")
    boolean follow;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "10",
        description = "How many of the latest events to print first (default ${DEFAULT-VALUE}).")
    int lines;

    @Option(names = "--session", paramLabel = "SESSION", description = "Only the events of this session.")
    String session;

    @Option(names = "--json", description = "The full events as JSONL.")
    boolean json;

    @Spec
    CommandSpec spec;

    private EventText text;

    @Override
    public Integer call()
    {
        if (lines < 0)
        {
            throw new InputException("-n must not be negative: " + lines);
        }
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        text = new EventText(!json && Terminal.stdout());
        try (Store store = follow ? whenThere(out, err) : options.openReadOnly(); JournalCursor cursor = store.readJournal())
        {
            if (session != null)
            {
                store.tree(session); // an unknown session is an error, not an empty tail
            }
            for (final Line line : latest(cursor))
            {
                if (line.event() != null)
                {
                    print(out, line.event());
                }
                else
                {
                    out.flush();
                    err.println(line.damage());
                }
            }
            out.flush();
            err.flush();
            while (follow && !Thread.currentThread().isInterrupted())
            {
                boolean any = false;
                while (cursor.next())
                {
                    any = true;
                    if (cursor.problem() != null)
                    {
                        err.println(damage(cursor));
                    }
                    else if (selected(cursor.event()))
                    {
                        print(out, cursor.event().toEvent());
                    }
                }
                Forkline.checkOutput(out); // ends the command when the reader of stdout has gone (tail -f | head -1)
                if (!any)
                {
                    LockSupport.parkNanos(POLL_NANOS);
                }
            }
        }
        return Forkline.EXIT_OK;
    }

    /**
     * Opens the store, waiting for it to be created when there is none yet, as {@code tail -F} waits for a file.
     */
    private Store whenThere(final PrintWriter out, final PrintWriter err)
    {
        long failures = 0;
        boolean waited = false;
        while (true)
        {
            try
            {
                return options.openReadOnly();
            }
            catch (final RuntimeException ex)
            {
                final boolean none = ex instanceof ForklineException forkline && forkline.reason() == ForklineException.Reason.NO_STORE;
                if (!none && (!waited || ++failures > MAX_OPEN_RETRIES))
                {
                    throw ex;
                }
                // a store being created may not open at once: its journal is made a file at a time
                if (!waited)
                {
                    err.println("forkline: no Forkline store at " + Terminal.escape(options.directory().toString()) +
                        " yet; waiting for one to be created (Ctrl-C to stop)");
                    err.flush();
                    waited = true;
                }
            }
            Forkline.checkOutput(out);
            LockSupport.parkNanos(STORE_POLL_NANOS);
        }
    }

    /**
     * Reads the journal from the last {@code lines} records on and keeps the last {@code lines} selected events
     * with the damaged records among and after them; when that finds too few (other sessions' events, damaged
     * records), it starts twice as far back, until it has them or has read from the start. A tail costs about the
     * records it has to look through, not the whole journal. The cursor is left at the end, to follow from.
     */
    private ArrayDeque<Line> latest(final JournalCursor cursor)
    {
        long records = lines;
        while (true)
        {
            final boolean wentBack = cursor.toLast(records);
            final ArrayDeque<Line> latest = new ArrayDeque<>();
            int events = 0;
            while (cursor.next())
            {
                if (cursor.problem() != null)
                {
                    latest.addLast(new Line(null, damage(cursor)));
                }
                else if (lines > 0 && selected(cursor.event()))
                {
                    if (events == lines)
                    {
                        dropFirstEvent(latest);
                    }
                    else
                    {
                        events++;
                    }
                    latest.addLast(new Line(cursor.event().toEvent(), null));
                }
            }
            if (events == lines || !wentBack)
            {
                return latest;
            }
            records = Math.min(records * 2, Long.MAX_VALUE / 2);
        }
    }

    /**
     * Drops the first event and the damaged records before it and before the next one.
     */
    private static void dropFirstEvent(final ArrayDeque<Line> latest)
    {
        while (latest.peekFirst().event() == null)
        {
            latest.removeFirst();
        }
        latest.removeFirst();
        while (!latest.isEmpty() && latest.peekFirst().event() == null)
        {
            latest.removeFirst();
        }
    }

    private boolean selected(final EventView event)
    {
        return session == null || session.equals(event.session());
    }

    private void print(final PrintWriter out, final Event event)
    {
        if (json)
        {
            out.println(Exporter.eventsLine(event));
        }
        else
        {
            out.println(text.line(event.branch() + "@" + event.step(), event.kind(), event.timestampNanos(),
                event.payloadAsString(), false));
        }
    }

    private static String damage(final JournalCursor cursor)
    {
        return "forkline: damaged record at journal index 0x" + Long.toHexString(cursor.journalIndex()) + ": " +
            Terminal.escape(cursor.problem());
    }

    /**
     * An event to print, or the report of a damaged record.
     */
    private record Line(Event event, String damage)
    {
    }
}
