package dev.forkline.kernel.export;

import dev.forkline.kernel.BranchInfo;
import dev.forkline.kernel.EventCursor;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.EventView;
import dev.forkline.kernel.ForklineException;
import dev.forkline.kernel.Store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
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
     * Gives each tool message the id of an earlier unanswered call: its own when that call is in the sequence,
     * else the first unanswered call of the same name. A tool message that answers no call is left out.
     * Every branch that contains a turn shares its prefix, so the answer does not depend on the branch.
     */
    private void resolveToolCalls()
    {
        final Set<String> seen = new HashSet<>();
        final ArrayDeque<ToolCall> unanswered = new ArrayDeque<>();
        for (int i = 0; i < sequences.length; i++)
        {
            seen.clear();
            unanswered.clear();
            final Turn[] sequence = sequences[i];
            final int forkStep = (int)forkStep(i);
            for (int step = 0; step < sequence.length; step++)
            {
                final Turn turn = sequence[step];
                if (turn.isAssistant())
                {
                    for (final ToolCall call : turn.toolCalls)
                    {
                        seen.add(call.id());
                        unanswered.add(call);
                    }
                }
                else if (Turn.TOOL.equals(turn.role))
                {
                    if (step >= forkStep)
                    {
                        resolve(turn, seen, unanswered);
                    }
                    if (turn.role != null)
                    {
                        answered(turn.toolCallId, unanswered);
                    }
                }
            }
        }
    }

    private static void resolve(final Turn turn, final Set<String> seen, final ArrayDeque<ToolCall> unanswered)
    {
        if (turn.toolCallId != null && seen.contains(turn.toolCallId))
        {
            return;
        }
        for (final ToolCall call : unanswered)
        {
            if (turn.name == null || turn.name.equals(call.name()))
            {
                turn.toolCallId = call.id();
                return;
            }
        }
        turn.role = null;
    }

    private static void answered(final String id, final ArrayDeque<ToolCall> unanswered)
    {
        final Iterator<ToolCall> calls = unanswered.iterator();
        while (calls.hasNext())
        {
            if (calls.next().id().equals(id))
            {
                calls.remove();
                return;
            }
        }
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
