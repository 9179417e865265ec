package dev.forkline.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.BranchDiff;
import dev.forkline.kernel.Event;
import dev.forkline.kernel.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "diff", mixinStandardHelpOptions = true,
    description = {"Compare two branches step by step (kind and payload; times are ignored).",
        "Exit code 0 when they are identical, 1 when they differ."})
final class DiffCommand implements Callable<Integer>
{
    @Mixin
    CommonOptions options;

    @Parameters(index = "0", paramLabel = "A", description = "The first branch.")
    String a;

    @Parameters(index = "1", paramLabel = "B", description = "The second branch.")
    String b;

    @Option(names = "--max", paramLabel = "N", defaultValue = "10", description = "Differing steps to print at most (default ${DEFAULT-VALUE}).")
    int max;

    @Option(names = "--json", description = "The result as one JSON document.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        if (max < 0)
        {
            throw new InputException("--max must not be negative: " + max);
        }
        final PrintWriter out = spec.commandLine().getOut();
        try (Store store = options.openReadOnly())
        {
            final BranchDiff diff = store.diff(a, b, max);
            if (json)
            {
                final ObjectNode node = Json.object().put("a", a).put("b", b).put("identical", diff.identical())
                    .put("common_prefix", diff.commonPrefix()).put("first_difference", diff.firstDifference())
                    .put("differing_steps", diff.differingSteps());
                final ArrayNode steps = node.putArray("differences");
                for (final BranchDiff.StepDifference difference : diff.differences())
                {
                    final ObjectNode step = steps.addObject().put("step", difference.step());
                    step.set("a", eventJson(difference.a()));
                    step.set("b", eventJson(difference.b()));
                }
                out.println(Json.write(node));
            }
            else if (diff.identical())
            {
                out.println(a + " and " + b + " are identical (" + diff.commonPrefix() + " steps)");
            }
            else
            {
                out.println(a + " and " + b + " share " + diff.commonPrefix() + " steps; first difference at step " +
                    diff.firstDifference() + "; " + diff.differingSteps() + " differing steps");
                final EventText text = new EventText(Terminal.stdout());
                final int width = Math.max(a.length(), b.length());
                for (final BranchDiff.StepDifference difference : diff.differences())
                {
                    out.println("@" + difference.step());
                    out.println(side(text, "- ", a, width, difference.a()));
                    out.println(side(text, "+ ", b, width, difference.b()));
                }
                if (diff.differingSteps() > diff.differences().size())
                {
                    out.println("… " + (diff.differingSteps() - diff.differences().size()) + " more (--max)");
                }
            }
            return diff.identical() ? Forkline.EXIT_OK : Forkline.EXIT_NEGATIVE;
        }
    }

    private static String side(final EventText text, final String sign, final String branch, final int width, final Event event)
    {
        final String label = sign + String.format("%-" + width + "s", branch);
        return event == null ? label + "  (no such step)" :
            text.line(label, event.kind(), event.timestampNanos(), event.payloadAsString(), false);
    }

    private static ObjectNode eventJson(final Event event)
    {
        if (event == null)
        {
            return null;
        }
        final ObjectNode node = Json.object().put("branch", event.branch()).put("kind", event.kind().wireName())
            .put("ts", Timestamps.iso(event.timestampNanos()));
        final var data = Json.parseOrNull(event.payloadAsString());
        if (data == null)
        {
            node.put("data", event.payloadAsString());
        }
        else
        {
            node.set("data", data);
        }
        return node;
    }
}
