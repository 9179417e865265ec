package dev.forkline.tools;

import dev.forkline.kernel.Event;
import dev.forkline.kernel.EventView;
import dev.forkline.kernel.JournalCursor;
import dev.forkline.kernel.Store;
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
        "With -f, keep following a store that another process is writing (stop with Ctrl-C)."})
final class TailCommand implements Callable<Integer>
{
    private static final long POLL_NANOS = 20_000_000L;

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
    private final StringBuilder line = new StringBuilder(256);

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
        try (Store store = options.openReadOnly(); JournalCursor cursor = store.readJournal())
        {
            if (session != null)
            {
                store.tree(session); // an unknown session is an error, not an empty tail
            }
            final ArrayDeque<Event> latest = new ArrayDeque<>();
            while (cursor.next())
            {
                if (cursor.problem() != null)
                {
                    damaged(err, cursor);
                }
                else if (lines > 0 && selected(cursor.event()))
                {
                    if (latest.size() == lines)
                    {
                        latest.removeFirst();
                    }
                    latest.addLast(cursor.event().toEvent());
                }
            }
            for (final Event event : latest)
            {
                print(out, event.session(), event.branch(), event.step(), event.kind(), event.timestampNanos(), event.payloadAsString());
            }
            out.flush();
            while (follow && !Thread.currentThread().isInterrupted())
            {
                boolean any = false;
                while (cursor.next())
                {
                    any = true;
                    if (cursor.problem() != null)
                    {
                        damaged(err, cursor);
                    }
                    else if (selected(cursor.event()))
                    {
                        final EventView event = cursor.event();
                        print(out, event.session(), event.branch(), event.step(), event.kind(), event.timestampNanos(),
                            event.payloadAsString());
                    }
                }
                if (any)
                {
                    out.flush();
                }
                else
                {
                    LockSupport.parkNanos(POLL_NANOS);
                }
            }
        }
        return Forkline.EXIT_OK;
    }

    private boolean selected(final EventView event)
    {
        return session == null || session.equals(event.session());
    }

    private void print(
        final PrintWriter out, final String eventSession, final String branch, final long step,
        final dev.forkline.kernel.EventKind kind, final long timestampNanos, final String payload)
    {
        if (json)
        {
            line.setLength(0);
            out.println(EventsLine.append(line, eventSession, branch, step, kind, timestampNanos, payload));
        }
        else
        {
            out.println(text.line(branch + "@" + step, kind, timestampNanos, payload, false));
        }
    }

    private static void damaged(final PrintWriter err, final JournalCursor cursor)
    {
        err.println("forkline: damaged record at journal index 0x" + Long.toHexString(cursor.journalIndex()) + ": " +
            cursor.problem());
    }
}
