package dev.forkline.tools;

import dev.forkline.kernel.BranchInfo;
import dev.forkline.kernel.Event;
import dev.forkline.kernel.EventCursor;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.ForklineException;
import dev.forkline.kernel.JournalCursor;
import dev.forkline.kernel.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Check every event's checksum and that the index finds every step of every branch.",
        "Exit code 0 when the store is sound, 1 when damage was found."})
final class VerifyCommand implements Callable<Integer>
{
    private static final int MAX_LISTED = 20;

    @Mixin
    CommonOptions options;

    @Spec
    CommandSpec spec;

    private final List<String> problems = new ArrayList<>();
    private long problemCount;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        long records = 0;
        long branches = 0;
        long steps = 0;
        final List<String> sessions;
        try (Store store = options.openReadOnly())
        {
            try (JournalCursor cursor = store.readJournal())
            {
                while (cursor.next())
                {
                    records++;
                    if (cursor.problem() != null)
                    {
                        problem("journal index 0x" + Long.toHexString(cursor.journalIndex()) + ": " + cursor.problem());
                    }
                }
            }
            sessions = store.sessions();
            for (final String session : sessions)
            {
                for (final BranchInfo branch : store.tree(session))
                {
                    branches++;
                    steps += branch.length() - branch.forkStep();
                    checkBranch(store, branch);
                }
            }
        }
        for (final String problem : problems)
        {
            out.println("DAMAGED " + problem);
        }
        if (problemCount > problems.size())
        {
            out.println("… and " + (problemCount - problems.size()) + " more");
        }
        out.println((problemCount == 0 ? "OK: " : "FAILED: " + problemCount + " problems; ") + records + " records, " +
            sessions.size() + " sessions, " + branches + " branches, " + steps + " indexed steps");
        return problemCount == 0 ? Forkline.EXIT_OK : Forkline.EXIT_NEGATIVE;
    }

    /**
     * Reads the branch's own steps through the index: each must be there, sound, and carry its step.
     */
    private void checkBranch(final Store store, final BranchInfo branch)
    {
        if (!branch.isRoot())
        {
            final Event fork = store.forkEvent(branch.name());
            if (fork == null || fork.kind() != EventKind.FORK || fork.step() != branch.forkStep())
            {
                problem(branch.name() + ": its fork event is missing or does not match fork step " + branch.forkStep());
            }
        }
        long step = branch.forkStep();
        while (step < branch.length())
        {
            try (EventCursor cursor = store.read(branch.name(), step))
            {
                while (step < branch.length())
                {
                    if (!cursor.next())
                    {
                        problem(branch.name() + "@" + step + ": indexed but not readable");
                        return;
                    }
                    if (cursor.event().step() != step || !branch.name().equals(cursor.event().branch()))
                    {
                        problem(branch.name() + "@" + step + ": the index points at " + cursor.event().branch() + "@" +
                            cursor.event().step());
                    }
                    step++;
                }
            }
            catch (final ForklineException ex)
            {
                if (ex.reason() != ForklineException.Reason.CORRUPT_EVENT)
                {
                    throw ex;
                }
                problem(ex.getMessage());
                step++;
            }
        }
    }

    private void problem(final String text)
    {
        problemCount++;
        if (problems.size() < MAX_LISTED)
        {
            problems.add(text);
        }
    }
}
