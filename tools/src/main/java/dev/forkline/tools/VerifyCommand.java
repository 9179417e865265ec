package dev.forkline.tools;

import dev.forkline.kernel.BranchInfo;
import dev.forkline.kernel.ChainReport;
import dev.forkline.kernel.ForklineException;
import dev.forkline.kernel.Store;
import dev.forkline.kernel.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Check every event's checksum and that the index finds every step of every branch;",
        "with --chain, also each branch's hash chain against its seals (changed, removed or reordered events).",
        "A store that does not open because a journal file was cut short is read directly: the cut, the events " +
            "lost and the sessions they belonged to are named.",
        "Exit code 0 when the store is sound, 1 when damage was found."})
final class VerifyCommand implements Callable<Integer>
{
    private static final int MAX_LISTED = 20;
    private static final int SESSIONS_LISTED = 5;

    @Mixin
    CommonOptions options;

    @Option(names = "--chain", description = "Also check the hash chains (tamper evidence).")
    boolean chain;

    @Option(names = "--heads", description = "With --chain: print each branch's chain head, to record elsewhere.")
    boolean heads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final Store opened;
        try
        {
            opened = options.openReadOnly();
        }
        catch (final ForklineException ex)
        {
            if (ex.reason() != ForklineException.Reason.CORRUPT_JOURNAL)
            {
                throw ex;
            }
            return unopened(Store.verify(options.directory()), out);
        }
        try (Store store = opened)
        {
            final VerifyReport report = store.verify();
            long problems = damage(report, out);
            uncommitted(report, out);
            if (chain)
            {
                problems += chain(store, out);
            }
            final List<String> sessions = store.sessions();
            long branches = 0;
            long steps = 0;
            for (final String session : sessions)
            {
                for (final BranchInfo branch : store.tree(session))
                {
                    branches++;
                    steps += branch.length() - branch.forkStep();
                }
            }
            out.println((problems == 0 ? "OK: " : "FAILED: " + problems + " problems; ") +
                (report.events() + report.damagedCount()) + " records, " + sessions.size() + " sessions, " + branches +
                " branches, " + steps + " indexed steps");
            return problems == 0 ? Forkline.EXIT_OK : Forkline.EXIT_NEGATIVE;
        }
    }

    /**
     * Reports on a store that does not open because a journal file was cut short: what the journal files still hold.
     */
    private int unopened(final VerifyReport report, final PrintWriter out)
    {
        final long problems = damage(report, out);
        uncommitted(report, out);
        if (chain)
        {
            out.println("chain: not checked, the store does not open");
        }
        out.println("FAILED: " + problems + " problems; " + report.events() +
            " sound events read; the store does not open: a journal file was cut short");
        return Forkline.EXIT_NEGATIVE;
    }

    /**
     * Prints the damaged records, the index problems and the sessions affected.
     *
     * @return the number of problems.
     */
    static long damage(final VerifyReport report, final PrintWriter out)
    {
        int listed = 0;
        for (final VerifyReport.Damage damage : report.damaged())
        {
            if (listed++ < MAX_LISTED)
            {
                out.println(Terminal.escape("DAMAGED " + (damage.event() == null ? "record" : damage.event()) + " in " +
                    damage.file() + " at offset " + damage.offset() + (damage.journalIndex() < 0 ? "" : " (journal index 0x" +
                    Long.toHexString(damage.journalIndex()) + ")") + ": " + damage.problem()));
            }
        }
        for (final String problem : report.indexProblems())
        {
            if (listed++ < MAX_LISTED)
            {
                out.println("DAMAGED index: " + Terminal.escape(problem));
            }
        }
        final long problems = report.damagedCount() + report.indexProblems().size();
        if (problems > MAX_LISTED)
        {
            out.println("… and " + (problems - MAX_LISTED) + " more");
        }
        if (!report.affectedSessions().isEmpty())
        {
            out.println("sessions affected: " + String.join(", ", report.affectedSessions()));
        }
        return problems;
    }

    /**
     * Prints the batches whose events are in the journal but not in the store: information, not damage.
     */
    static void uncommitted(final VerifyReport report, final PrintWriter out)
    {
        for (final VerifyReport.UncommittedBatch batch : report.uncommitted())
        {
            final List<String> sessions = batch.sessions().subList(0, Math.min(SESSIONS_LISTED, batch.sessions().size()));
            final String named = sessions.isEmpty() ? "" : ", " + batch.sessionCount() +
                (batch.sessionCount() == 1 ? " session: " : " sessions: ") + String.join(", ", sessions) +
                (batch.sessionCount() > sessions.size() ? " and " + (batch.sessionCount() - sessions.size()) + " more" : "");
            out.println((batch.open() ? "OPEN batch: " : "ROLLED BACK batch: ") + batch.events() + " events from journal index 0x" +
                Long.toHexString(batch.journalIndex()) + named + (batch.open() ?
                " (still being written: readable once it commits)" : " (never committed: not part of the store)"));
        }
    }

    private long chain(final Store store, final PrintWriter out)
    {
        final ChainReport report = store.verifyChain();
        int listed = 0;
        for (final String problem : report.problems())
        {
            if (listed++ < MAX_LISTED)
            {
                out.println("TAMPERED " + Terminal.escape(problem));
            }
        }
        for (final String damaged : report.damaged())
        {
            if (listed++ < MAX_LISTED)
            {
                out.println("DAMAGED chain: " + Terminal.escape(damaged));
            }
        }
        out.println("chain: " + report.sealed() + " events match their seals, " + report.unsealed() + " not sealed yet");
        if (heads)
        {
            for (final Map.Entry<String, String> head : report.heads().entrySet())
            {
                out.println("head " + head.getKey() + " " + head.getValue());
            }
        }
        return report.problems().size() + report.damaged().size();
    }
}
