package dev.forkline.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forkline.kernel.BranchInfo;
import dev.forkline.kernel.Event;
import dev.forkline.kernel.EventCursor;
import dev.forkline.kernel.EventView;
import dev.forkline.kernel.Store;
import dev.forkline.kernel.export.Exporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "show", mixinStandardHelpOptions = true,
    description = {"Show the timeline of a branch, one line per event, or one event in full with BRANCH@STEP.",
        "Steps a fork shares with its parent are drawn dim on a terminal."})
final class ShowCommand implements Callable<Integer>
{
    @Mixin
    CommonOptions options;

    @Parameters(paramLabel = "BRANCH[@STEP]", description = "A branch, or one event of it.")
    String target;

    @Option(names = "--json", description = "The full events as JSONL (the events interchange format).")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        final StepRef ref = StepRef.parse(target);
        final PrintWriter out = spec.commandLine().getOut();
        try (Store store = options.openReadOnly())
        {
            if (ref.hasStep())
            {
                showOne(out, store.event(ref.branch(), ref.step()));
                return Forkline.EXIT_OK;
            }
            final BranchInfo info = store.branch(ref.branch());
            final EventText text = new EventText(!json && Terminal.stdout());
            if (!json)
            {
                out.println("branch " + info.name() + (info.isRoot() ? "" : ", forked from " + info.parent() + " at step " +
                    info.forkStep()) + ", " + info.length() + " steps, last activity " +
                    Timestamps.iso(info.lastTimestampNanos()));
            }
            try (EventCursor cursor = store.read(info.name()))
            {
                while (cursor.next() && cursor.nextStep() <= info.length())
                {
                    final EventView event = cursor.event();
                    if (json)
                    {
                        out.println(Exporter.eventsLine(event.toEvent()));
                    }
                    else
                    {
                        out.println(text.line(String.format("%5d", event.step()), event.kind(), event.timestampNanos(),
                            event.payloadAsString(), event.step() < info.forkStep()));
                    }
                }
            }
        }
        return Forkline.EXIT_OK;
    }

    private void showOne(final PrintWriter out, final Event event)
    {
        if (json)
        {
            out.println(Exporter.eventsLine(event));
            return;
        }
        out.println(event.branch() + "@" + event.step() + "  " + event.kind().wireName() + "  " +
            Timestamps.iso(event.timestampNanos()));
        final JsonNode data = Json.parseOrNull(event.payloadAsString());
        out.println(data == null ? Terminal.escape(event.payloadAsString()) : Json.pretty(data));
    }
}
