package dev.forkline.tools;

import dev.forkline.kernel.SalvageReport;
import dev.forkline.kernel.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "salvage", mixinStandardHelpOptions = true,
    description = {"Copy every sound event of a damaged store (--store) into a new store in NEWDIR.",
        "The same sessions, branches, steps, forks, kinds, flags, timestamps and payloads, in the order they were " +
            "written. Works on a store that does not open because a journal file was cut short; only reads it.",
        "Prints what the damaged store lost, as verify does, then what could not be copied and why: an event keeps its " +
            "step, so a branch that misses a step ends before it, and a fork past that point is not copied.",
        "The new store's hash chain is computed afresh.",
        "Exit code 0 when the new store was written; 2 when it was not for what it was given (NEWDIR not empty, no " +
            "store), 3 for a failure of the system (a full disk)."})
final class SalvageCommand implements Callable<Integer>
{
    private static final int MAX_LISTED = 20;

    @Mixin
    CommonOptions options;

    @Parameters(paramLabel = "NEWDIR", description = "Where to write the new store: a directory that does not exist or is empty.")
    Path target;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final SalvageReport report = Store.salvage(options.directory(), target);
        VerifyCommand.damage(report.source(), out);
        int listed = 0;
        for (final String dropped : report.dropped())
        {
            if (listed++ < MAX_LISTED)
            {
                out.println("DROPPED " + Terminal.escape(dropped));
            }
        }
        if (report.dropped().size() > MAX_LISTED)
        {
            out.println("… and " + (report.dropped().size() - MAX_LISTED) + " more");
        }
        for (final Map.Entry<String, String> renamed : report.renamed().entrySet())
        {
            out.println("RENAMED " + renamed.getKey() + " is " + renamed.getValue() + " in the new store: its fork event " +
                "follows a later fork's in the journal");
        }
        out.println("SALVAGED " + report.events() + " of " + report.source().events() + " sound events (" +
            report.sessions() + " sessions, " + report.branches() + " branches) into " + Terminal.escape(target.toString()) +
            (report.complete() ? ": nothing was lost" : "; " + report.source().damagedCount() +
                " damaged or cut records in the damaged store, " + report.droppedEvents() + " sound events not copied"));
        out.println("the new store's hash chain is computed afresh: it vouches for the copy, not for the original " +
            "recording; check the copy with 'forkline verify --chain --store " + Terminal.escape(target.toString()) + "'");
        return Forkline.EXIT_OK;
    }
}
