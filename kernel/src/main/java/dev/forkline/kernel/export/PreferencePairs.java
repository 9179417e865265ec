package dev.forkline.kernel.export;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds preference pairs from a session's fork tree and writes them as {@code openai-preference} or
 * {@code trl-preference} lines.
 * <p>
 * Two branches that diverge at the same fork step (a parent and its fork at step k, or two forks of one
 * parent at the same k) and end with different rewards give a pair: the messages before k, plus any
 * messages from k on that both branches recorded identically, are the prompt; the first assistant turns
 * that differ are the preferred (higher reward) and non-preferred outputs. When the branches differ first in
 * something other than an assistant turn (an overridden tool result, say), there is no common prompt and no
 * pair. A pair whose preferred turn is annotated bad is left out.
 */
final class PreferencePairs
{
    private final ExportFormat format;
    private final MessageRenderer renderer;
    private final ChangeTally tally;
    private final LineSink sink;
    private final List<Turn> prompt = new ArrayList<>();
    private final List<Turn> better = new ArrayList<>();
    private final List<Turn> worse = new ArrayList<>();
    private final Set<List<Turn>> written = new HashSet<>();

    PreferencePairs(final ExportFormat format, final MessageRenderer renderer, final ChangeTally tally, final LineSink sink)
    {
        this.format = format;
        this.renderer = renderer;
        this.tally = tally;
        this.sink = sink;
    }

    /**
     * @return the number of pairs written for the session.
     */
    int write(final SessionTree tree, final byte[] tools)
    {
        written.clear();
        int pairs = 0;
        for (int c = 0; c < tree.size(); c++)
        {
            final int p = tree.parent[c];
            if (p < 0)
            {
                continue;
            }
            pairs += pair(tree, p, c, (int)tree.forkStep(c), tools);
            for (int d = c + 1; d < tree.size(); d++)
            {
                if (tree.parent[d] == p && tree.forkStep(d) == tree.forkStep(c))
                {
                    pairs += pair(tree, c, d, (int)tree.forkStep(c), tools);
                }
            }
        }
        return pairs;
    }

    private int pair(final SessionTree tree, final int a, final int b, final int at, final byte[] tools)
    {
        final double rewardA = tree.reward[a];
        final double rewardB = tree.reward[b];
        if (Double.isNaN(rewardA) || Double.isNaN(rewardB) || rewardA == rewardB)
        {
            return 0;
        }
        final int hi = rewardA > rewardB ? a : b;
        final int lo = hi == a ? b : a;
        messagesFrom(tree.sequences[hi], at, better);
        messagesFrom(tree.sequences[lo], at, worse);
        int i = 0;
        while (i < better.size() && i < worse.size() && better.get(i).sameAs(worse.get(i)))
        {
            i++;
        }
        if (i == better.size() || i == worse.size())
        {
            return 0;
        }
        final Turn chosen = better.get(i);
        final Turn rejected = worse.get(i);
        if (!chosen.isAssistant() || !rejected.isAssistant() || chosen.bad || !written.add(List.of(chosen, rejected)))
        {
            return 0;
        }
        prompt.clear();
        final Turn[] shared = tree.sequences[hi];
        for (int step = 0; step < at; step++)
        {
            if (shared[step].isMessage())
            {
                prompt.add(shared[step]);
            }
        }
        prompt.addAll(better.subList(0, i));
        if (prompt.isEmpty())
        {
            return 0;
        }
        writeLine(chosen, rejected, tools);
        for (int step = 0; step < chosen.step; step++)
        {
            if (shared[step].dropped)
            {
                tally.note(shared[step], ChangeTally.DROPPED);
            }
        }
        return 1;
    }

    private static void messagesFrom(final Turn[] sequence, final int from, final List<Turn> out)
    {
        out.clear();
        for (int step = from; step < sequence.length; step++)
        {
            if (sequence[step].isMessage())
            {
                out.add(sequence[step]);
            }
        }
    }

    private void writeLine(final Turn chosen, final Turn rejected, final byte[] tools)
    {
        if (format == ExportFormat.OPENAI_PREFERENCE)
        {
            sink.putAscii("{\"input\":{\"messages\":");
            writePrompt();
            if (tools != null)
            {
                sink.putAscii(",\"tools\":").put(tools);
            }
            sink.putAscii("},\"preferred_output\":[").put(renderer.render(chosen))
                .putAscii("],\"non_preferred_output\":[").put(renderer.render(rejected)).putAscii("]}\n");
        }
        else
        {
            sink.putAscii("{\"prompt\":");
            writePrompt();
            sink.putAscii(",\"chosen\":[").put(renderer.render(chosen))
                .putAscii("],\"rejected\":[").put(renderer.render(rejected)).put((byte)']');
            if (tools != null)
            {
                sink.putAscii(",\"tools\":").put(tools);
            }
            sink.putAscii("}\n");
        }
    }

    private void writePrompt()
    {
        sink.put((byte)'[');
        for (int i = 0; i < prompt.size(); i++)
        {
            if (i > 0)
            {
                sink.put((byte)',');
            }
            sink.put(renderer.render(prompt.get(i)));
        }
        sink.put((byte)']');
    }
}
