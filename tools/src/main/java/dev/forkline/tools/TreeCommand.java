package dev.forkline.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.BranchInfo;
import dev.forkline.kernel.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "tree", mixinStandardHelpOptions = true, description = "Draw the fork tree of a session.")
final class TreeCommand implements Callable<Integer>
{
    @Mixin
    CommonOptions options;

    @Parameters(paramLabel = "SESSION", description = "The session.")
    String session;

    @Option(names = "--json", description = "The tree as nested JSON for machines.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        try (Store store = options.openReadOnly())
        {
            final List<BranchInfo> branches = store.tree(session);
            final Map<String, List<BranchInfo>> children = new LinkedHashMap<>();
            for (final BranchInfo branch : branches)
            {
                if (!branch.isRoot())
                {
                    children.computeIfAbsent(branch.parent(), k -> new ArrayList<>()).add(branch);
                }
            }
            final BranchInfo root = branches.get(0);
            if (json)
            {
                out.println(Json.write(nest(root, children)));
            }
            else
            {
                out.println(describe(root));
                draw(out, root, children, "");
            }
        }
        return Forkline.EXIT_OK;
    }

    static ObjectNode toJson(final BranchInfo branch)
    {
        final ObjectNode node = Json.object().put("branch", branch.name());
        if (branch.isRoot())
        {
            node.putNull("parent");
        }
        else
        {
            node.put("parent", branch.parent());
        }
        node.put("fork_step", branch.forkStep())
            .put("length", branch.length())
            .put("last_activity", Timestamps.iso(branch.lastTimestampNanos()));
        final JsonNode outcome = branch.outcome() == null ? null : Json.parseOrNull(branch.outcome());
        node.set("outcome", outcome == null ? node.nullNode() : outcome);
        return node;
    }

    private static ObjectNode nest(final BranchInfo branch, final Map<String, List<BranchInfo>> children)
    {
        final ObjectNode node = toJson(branch);
        final var list = node.putArray("children");
        for (final BranchInfo child : children.getOrDefault(branch.name(), List.of()))
        {
            list.add(nest(child, children));
        }
        return node;
    }

    private static void draw(
        final PrintWriter out, final BranchInfo parent, final Map<String, List<BranchInfo>> children, final String indent)
    {
        final List<BranchInfo> forks = children.getOrDefault(parent.name(), List.of());
        for (int i = 0; i < forks.size(); i++)
        {
            final boolean last = i == forks.size() - 1;
            final BranchInfo fork = forks.get(i);
            out.println(indent + (last ? "└── " : "├── ") + describe(fork));
            draw(out, fork, children, indent + (last ? "    " : "│   "));
        }
    }

    private static String describe(final BranchInfo branch)
    {
        final StringBuilder text = new StringBuilder(branch.name());
        if (!branch.isRoot())
        {
            text.append("  @").append(branch.forkStep());
        }
        text.append("  ").append(branch.length()).append(branch.length() == 1 ? " step" : " steps");
        if (branch.outcome() != null)
        {
            text.append("  ").append(EventText.outcome(Json.parseOrNull(branch.outcome())));
        }
        return text.toString();
    }
}
