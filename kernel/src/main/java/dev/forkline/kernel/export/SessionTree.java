package dev.forkline.kernel.export;

import dev.forkline.kernel.BranchInfo;
import dev.forkline.kernel.EventCursor;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.EventView;
import dev.forkline.kernel.ForklineException;
import dev.forkline.kernel.Store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One session's fork tree in memory, as long as it is exported: every event read once, and each branch's
 * sequence (shared prefix included) as an array of the same {@link Turn}s, indexed by step. Memory grows with
 * the session, never with the store.
 */
final class SessionTree
{
    final String session;
    final List<BranchInfo> branches;
    final int[] parent;
    final Turn[][] sequences;
    final double[] reward;
    final String[] label;

    private SessionTree(final String session, final List<BranchInfo> branches, final Turn[][] sequences)
    {
        this.session = session;
        this.branches = branches;
        this.sequences = sequences;
        final int count = branches.size();
        parent = new int[count];
        reward = new double[count];
        label = new String[count];
        final Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < count; i++)
        {
            final BranchInfo branch = branches.get(i);
            index.put(branch.name(), i);
            parent[i] = branch.parent() == null ? -1 : index.getOrDefault(branch.parent(), -1);
            reward[i] = Double.NaN;
            final Turn[] sequence = sequences[i];
            for (int step = sequence.length - 1; step >= 0; step--)
            {
                if (sequence[step].kind == EventKind.OUTCOME)
                {
                    reward[i] = sequence[step].reward;
                    label[i] = sequence[step].label;
                    break;
                }
            }
        }
    }

    /**
     * Reads every event of a session once, by branch (random access), and parses it.
     *
     * @throws SessionSkip when an event cannot be read or a message payload is not JSON.
     */
    static SessionTree load(final Store store, final String session, final TurnParser parser)
    {
        final List<BranchInfo> branches = store.treeShape(session);
        final List<List<Turn>> own = new ArrayList<>();
        for (int i = 0; i < branches.size(); i++)
        {
            final BranchInfo branch = branches.get(i);
            final List<Turn> turns = new ArrayList<>();
            try (EventCursor cursor = store.read(branch.name(), branch.forkStep()))
            {
                while (cursor.next() && cursor.event().step() < branch.length())
                {
                    final EventView view = cursor.event();
                    turns.add(new Turn(view.kind(), i, view.step(), view.payloadBytes()));
                }
            }
            catch (final ForklineException ex)
            {
                throw new SessionSkip(TurnParser.firstLine(ex.getMessage()));
            }
            own.add(turns);
        }
        return assemble(session, branches, own, parser);
    }

    /**
     * Parses each branch's own events (in step order, branches in creation order) and builds the tree.
     *
     * @throws SessionSkip when a message payload cannot be read or a step is missing.
     */
    static SessionTree assemble(
        final String session, final List<BranchInfo> branches, final List<List<Turn>> own, final TurnParser parser)
    {
        final Turn[][] sequences = new Turn[branches.size()][];
        final Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < branches.size(); i++)
        {
            final BranchInfo branch = branches.get(i);
            index.put(branch.name(), i);
            final int forkStep = (int)branch.forkStep();
            final Turn[] prefix = branch.parent() == null ? new Turn[0] : sequences[index.get(branch.parent())];
            if (prefix.length < forkStep)
            {
                throw new SessionSkip(branch.name() + " forks at step " + forkStep + " of a parent with " + prefix.length + " steps");
            }
            final List<Turn> turns = own.get(i);
            final Turn[] sequence = Arrays.copyOf(prefix, forkStep + turns.size());
            for (int j = 0; j < turns.size(); j++)
            {
                final Turn turn = turns.get(j);
                if (turn.step != forkStep + j)
                {
                    throw new SessionSkip(branch.name() + " misses step " + (forkStep + j));
                }
                final String problem = needsParsing(turn.kind) ? parser.parse(turn) : null;
                if (problem != null)
                {
                    throw new SessionSkip(branch.name() + "@" + turn.step + " " + turn.kind.wireName() + ": " + problem);
                }
                sequence[forkStep + j] = turn;
            }
            sequences[i] = sequence;
        }
        final SessionTree tree = new SessionTree(session, branches, sequences);
        tree.resolveToolCalls();
        tree.markBadTurns();
        tree.markAbandonedTurns();
        return tree;
    }

    private static boolean needsParsing(final EventKind kind)
    {
        return switch (kind)
        {
            case SYSTEM, USER, MODEL_RESPONSE, TOOL_RESULT, OUTCOME, ANNOTATION -> true;
            default -> false;
        };
    }

    int size()
    {
        return branches.size();
    }

    long forkStep(final int branch)
    {
        return branches.get(branch).forkStep();
    }

    boolean hasForks(final int branch)
    {
        for (final int p : parent)
        {
            if (p == branch)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Links each tool message to a call of the assistant message just before it (only tool messages come between):
     * the call it names, else the first unanswered one of the same name (relinked). A tool message that answers no
     * call there is dropped. A call whose id an earlier call of the sequence used gets {@code <id>_<n>}, so that
     * every id of an example names one call (agents reuse ids across turns). A turn is resolved on the branch that
     * owns it; every branch that contains a turn shares its prefix, so the answer does not depend on the branch.
     */
    private void resolveToolCalls()
    {
        final Set<String> used = new HashSet<>();
        final List<ToolCall> open = new ArrayList<>();
        for (int i = 0; i < sequences.length; i++)
        {
            used.clear();
            open.clear();
            final Turn[] sequence = sequences[i];
            final int forkStep = (int)forkStep(i);
            for (int step = 0; step < sequence.length; step++)
            {
                final Turn turn = sequence[step];
                if (!turn.isMessage())
                {
                    continue;
                }
                if (Turn.TOOL.equals(turn.role))
                {
                    if (step >= forkStep)
                    {
                        link(turn, open);
                    }
                    if (turn.isMessage())
                    {
                        open.removeIf(call -> call.id().equals(turn.toolCallId));
                    }
                    continue;
                }
                open.clear();
                if (turn.isAssistant())
                {
                    if (step >= forkStep)
                    {
                        renameReused(turn, used);
                    }
                    for (final ToolCall call : turn.toolCalls)
                    {
                        used.add(call.id());
                        open.add(call);
                    }
                }
            }
        }
    }

    private static void link(final Turn turn, final List<ToolCall> open)
    {
        for (final ToolCall call : open)
        {
            if (call.recordedId().equals(turn.toolCallId))
            {
                turn.toolCallId = call.id();
                return;
            }
        }
        for (final ToolCall call : open)
        {
            if (turn.name == null || turn.name.equals(call.name()))
            {
                turn.toolCallId = call.id();
                turn.relinked = true;
                return;
            }
        }
        turn.role = null;
        turn.dropped = true;
    }

    private static void renameReused(final Turn turn, final Set<String> used)
    {
        List<ToolCall> calls = turn.toolCalls;
        for (int c = 0; c < calls.size(); c++)
        {
            final String id = calls.get(c).id();
            if (taken(id, used, calls, c))
            {
                int n = 2;
                while (taken(id + "_" + n, used, calls, c))
                {
                    n++;
                }
                if (calls == turn.toolCalls)
                {
                    calls = new ArrayList<>(calls);
                }
                calls.set(c, calls.get(c).withId(id + "_" + n));
            }
        }
        turn.toolCalls = calls;
    }

    /**
     * @return true when an earlier call of the sequence, or one of the first {@code before} calls of this turn, has the id.
     */
    private static boolean taken(final String id, final Set<String> used, final List<ToolCall> calls, final int before)
    {
        if (used.contains(id))
        {
            return true;
        }
        for (int c = 0; c < before; c++)
        {
            if (calls.get(c).id().equals(id))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * An annotation's step names a step of the annotation's own branch; the judgement is of that event,
     * in every branch that contains it. The latest annotation of an event wins.
     */
    private void markBadTurns()
    {
        for (int i = 0; i < sequences.length; i++)
        {
            final Turn[] sequence = sequences[i];
            for (int step = (int)forkStep(i); step < sequence.length; step++)
            {
                final Turn turn = sequence[step];
                if (turn.kind == EventKind.ANNOTATION && turn.annotatedStep >= 0 && turn.annotatedStep < sequence.length &&
                    turn.label != null)
                {
                    sequence[(int)turn.annotatedStep].bad = "bad".equals(turn.label);
                }
            }
        }
    }

    /**
     * An assistant turn is abandoned when a fork of its branch, at or before its step, reached a better reward
     * than every branch that contains the turn (or when none of those has a reward at all).
     */
    private void markAbandonedTurns()
    {
        final double[] forkRank = new double[sequences.length];
        for (int c = 0; c < sequences.length; c++)
        {
            final int forkStep = (int)forkStep(c);
            forkRank[c] = parent[c] >= 0 && forkStep < sequences[c].length ? best(sequences[c][forkStep]) : Double.NaN;
        }
        for (int i = 0; i < sequences.length; i++)
        {
            final Turn[] sequence = sequences[i];
            for (int step = (int)forkStep(i); step < sequence.length; step++)
            {
                final Turn turn = sequence[step];
                if (!turn.isAssistant())
                {
                    continue;
                }
                final double best = best(turn);
                for (int c = 0; c < sequences.length; c++)
                {
                    if (parent[c] == i && forkStep(c) <= step && !Double.isNaN(forkRank[c]) &&
                        (Double.isNaN(best) || forkRank[c] > best))
                    {
                        turn.abandoned = true;
                        break;
                    }
                }
            }
        }
    }

    /**
     * @return the highest reward among the branches that contain {@code turn}, NaN when none has one.
     */
    double best(final Turn turn)
    {
        double best = Double.NaN;
        for (int j = 0; j < sequences.length; j++)
        {
            final Turn[] sequence = sequences[j];
            if (turn.step < sequence.length && sequence[(int)turn.step] == turn && !Double.isNaN(reward[j]) &&
                (Double.isNaN(best) || reward[j] > best))
            {
                best = reward[j];
            }
        }
        return best;
    }
}
