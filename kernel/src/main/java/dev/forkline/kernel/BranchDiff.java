package dev.forkline.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How two branches differ: the length of their common prefix, the first step at which they differ, and
 * the differing steps. Steps a fork shares with its parent are equal without being read.
 *
 * @param a                 the first branch.
 * @param b                 the second branch.
 * @param commonPrefix      the number of leading steps whose kind and payload are equal.
 * @param firstDifference   the first differing step, or -1 when the branches are equal.
 * @param differences       the differing steps from {@code firstDifference} on, at most the number asked for.
 * @param differingSteps    how many steps differ in all (also those not listed).
 */
public record BranchDiff(
    String a, String b, long commonPrefix, long firstDifference, List<StepDifference> differences, long differingSteps)
{
    /**
     * One step at which two branches differ.
     *
     * @param step the step.
     * @param a    the first branch's event, or null when it is shorter.
     * @param b    the second branch's event, or null when it is shorter.
     */
    public record StepDifference(long step, Event a, Event b)
    {
    }

    /**
     * @return true when both branches hold the same kinds and payloads at every step.
     */
    public boolean identical()
    {
        return firstDifference < 0;
    }

    static BranchDiff compute(final Store store, final BranchState a, final BranchState b, final int maxDifferences)
    {
        store.settle(a);
        store.settle(b);
        final long lengthA = a.length();
        final long lengthB = b.length();
        final long shared = Math.min(lengthA, lengthB);
        final List<StepDifference> differences = new ArrayList<>();
        long first = -1;
        long differing = 0;

        long step = 0;
        // Steps at the same journal location are the same event: skip them unread.
        while (step < shared && a.locate(step) == b.locate(step) && a.locate(step) != BranchState.NO_LOCATION)
        {
            step++;
        }
        try (EventCursor ca = store.read(a.name, step); EventCursor cb = store.read(b.name, step))
        {
            for (; step < Math.max(lengthA, lengthB); step++)
            {
                final Event ea = step < lengthA && ca.next() ? ca.event().toEvent() : null;
                final Event eb = step < lengthB && cb.next() ? cb.event().toEvent() : null;
                if (ea != null && eb != null && ea.kind() == eb.kind() && Arrays.equals(ea.payload(), eb.payload()))
                {
                    continue;
                }
                if (first < 0)
                {
                    first = step;
                }
                differing++;
                if (differences.size() < maxDifferences)
                {
                    differences.add(new StepDifference(step, ea, eb));
                }
            }
        }
        final long common = first < 0 ? Math.max(lengthA, lengthB) : first;
        return new BranchDiff(a.name, b.name, common, first, List.copyOf(differences), differing);
    }
}
