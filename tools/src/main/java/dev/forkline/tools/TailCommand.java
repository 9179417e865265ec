package dev.forkline.tools;

import dev.forkline.kernel.Event;
import dev.forkline.kernel.EventView;
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
                print(out, event);
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
                        print(out, cursor.event().toEvent());
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

    private static void damaged(final PrintWriter err, final JournalCursor cursor)
    {
        err.println("forkline: damaged record at journal index 0x" + Long.toHexString(cursor.journalIndex()) + ": " +
            cursor.problem());
    }
}
