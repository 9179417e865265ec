package dev.forkline.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.BranchInfo;
import dev.forkline.kernel.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "ls", mixinStandardHelpOptions = true,
    description = "List the sessions with their branches, lengths, last activity and outcomes.")
final class LsCommand implements Callable<Integer>
{
    @Mixin
    CommonOptions options;

    @Option(names = "--json", description = "One JSON document for machines.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        try (Store store = options.openReadOnly())
        {
            final List<String> sessions = store.sessions();
            if (json)
            {
                final ArrayNode list = Json.array();
                for (final String session : sessions)
                {
                    final ObjectNode entry = list.addObject().put("session", session);
                    final ArrayNode branches = entry.putArray("branches");
                    for (final BranchInfo branch : store.tree(session))
                    {
                        branches.add(TreeCommand.toJson(branch));
                    }
                }
                out.println(Json.write(list));
                return Forkline.EXIT_OK;
            }
            if (sessions.isEmpty())
            {
                out.println("no sessions in " + Terminal.escape(store.directory().toString()));
                return Forkline.EXIT_OK;
            }
            out.printf("%-40s %-14s %7s  %-19s  %s%n", "BRANCH", "FORKED AT", "STEPS", "LAST ACTIVITY (UTC)", "OUTCOME");
            for (final String session : sessions)
            {
                for (final BranchInfo branch : store.tree(session))
                {
                    out.printf("%-40s %-14s %7d  %-19s  %s%n",
                        branch.isRoot() ? branch.name() : "  " + branch.name(),
                        branch.isRoot() ? "-" : branch.parent() + "@" + branch.forkStep(),
                        branch.length(),
                        Timestamps.human(branch.lastTimestampNanos()),
                        branch.outcome() == null ? "-" : EventText.outcome(Json.parseOrNull(branch.outcome())));
                }
            }
        }
        return Forkline.EXIT_OK;
    }
}
