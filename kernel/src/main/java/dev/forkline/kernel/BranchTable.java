package dev.forkline.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The branches of a store, by id and by name. Registration is synchronised (it is rare: a session start
 * or a fork); look-ups are lock-free.
 * <p>
 * The branches an open batch creates are pending: their names and ids are taken, but no look-up by name or id, and
 * no list of branches, finds them until the batch commits ({@link #publishPending()}); when it is rolled back they
 * are dropped and their names are free again ({@link #dropPending()}). Only the writer of the batch and the index
 * writer reach them ({@link #pendingByName}, {@link #pending}). A store has at most one open batch.
 */
final class BranchTable
{
    private final ConcurrentHashMap<String, BranchState> byName;
    private volatile BranchState[] byId;
    private int nextId; // guarded by this
    private final Map<String, BranchState> pendingByName = new HashMap<>(); // guarded by this
    private final List<BranchState> pending = new ArrayList<>(); // guarded by this, in creation order
    private volatile BranchState[] pendingById = new BranchState[0];

    BranchTable()
    {
        this(64);
    }

    /**
     * @param expected how many branches the table will hold at first (a snapshot knows), so that loading them does
     *                 not grow the maps over and over.
     */
    BranchTable(final int expected)
    {
        byName = new ConcurrentHashMap<>(Math.max(16, expected + (expected >> 1)));
        byId = new BranchState[Math.max(64, expected)];
    }

    /**
     * @return the branch with that id, or null.
     */
    BranchState byId(final int id)
    {
        final BranchState[] byId = this.byId;
        return id >= 0 && id < byId.length ? byId[id] : null;
    }

    /**
     * @return the branch with that name, or null.
     */
    BranchState byName(final String name)
    {
        return byName.get(name);
    }

    /**
     * Registers a new root branch for a session, with the next free id.
     *
     * @param batch the open batch that creates it (the branch is then pending), or null.
     * @throws IllegalArgumentException when the session exists already.
     */
    synchronized BranchState newRoot(final String session, final Batch batch)
    {
        if (byName.containsKey(session))
        {
            throw new IllegalArgumentException("session '" + session + "' exists already");
        }
        if (pendingByName.containsKey(session))
        {
            throw new IllegalArgumentException("session '" + session + "' is being written by an open batch");
        }
        return register(new BranchState(nextId, session, session, null, 0), batch);
    }

    /**
     * Registers a new fork of {@code parent} at {@code step}, named {@code <session>/<n>} with the next n of
     * its session.
     *
     * @param batch the open batch that creates it (the branch is then pending), or null.
     */
    synchronized BranchState newFork(final BranchState parent, final long step, final Batch batch)
    {
        final BranchState root = root(parent.session);
        final int forkNumber = root.forkCount() + 1;
        root.countFork(forkNumber);
        return register(new BranchState(nextId, parent.session + "/" + forkNumber, parent.session, parent, step), batch);
    }

    private BranchState register(final BranchState branch, final Batch batch)
    {
        if (batch == null)
        {
            return add(branch);
        }
        branch.batch = batch;
        branch.batchFirstStep = branch.forkStep;
        return addPending(branch);
    }

    /**
     * Registers a committed branch read back from the journal or a snapshot, with the id the writer gave it.
     *
     * @return the branch, or null when the name or id is taken (a damaged journal).
     */
    BranchState restore(final int id, final String name, final BranchState parent, final long forkStep)
    {
        return restore(id, name, parent, forkStep, false);
    }

    /**
     * Registers a branch read back from the journal, with the id the writer gave it.
     *
     * @param pending true for a branch of a batch that has not committed (yet).
     * @return the branch, or null when the name or id is taken (a damaged journal).
     */
    synchronized BranchState restore(
        final int id, final String name, final BranchState parent, final long forkStep, final boolean pending)
    {
        if (byName.containsKey(name) || pendingByName.containsKey(name) || byId(id) != null || pending(id) != null || id < 0)
        {
            return null;
        }
        final BranchState branch = new BranchState(id, name, parent == null ? name : parent.session, parent, forkStep);
        if (pending)
        {
            return addPending(branch);
        }
        countFork(branch);
        return add(branch);
    }

    /**
     * @return the pending branch with that id, or null.
     */
    BranchState pending(final int id)
    {
        final BranchState[] pendingById = this.pendingById;
        return id >= 0 && id < pendingById.length ? pendingById[id] : null;
    }

    /**
     * @return the pending branch with that name, or null.
     */
    synchronized BranchState pendingByName(final String name)
    {
        return pendingByName.get(name);
    }

    /**
     * @return the pending branches, in creation order.
     */
    synchronized List<BranchState> pendingBranches()
    {
        return List.copyOf(pending);
    }

    /**
     * The batch committed: its branches join the table, in creation order.
     */
    synchronized void publishPending()
    {
        for (final BranchState branch : pending)
        {
            pendingByName.remove(branch.name);
            countFork(branch);
            add(branch);
        }
        clearPending();
    }

    /**
     * The batch was rolled back: its branches are forgotten and their names are free (their ids are not given again).
     */
    synchronized void dropPending()
    {
        pendingByName.clear();
        clearPending();
    }

    private void clearPending()
    {
        final BranchState[] pendingById = this.pendingById;
        for (final BranchState branch : pending)
        {
            pendingById[branch.id] = null;
        }
        pending.clear();
    }

    private BranchState addPending(final BranchState branch)
    {
        BranchState[] pendingById = this.pendingById;
        if (branch.id >= pendingById.length)
        {
            pendingById = Arrays.copyOf(pendingById, Math.max(branch.id + 1, Math.max(64, pendingById.length * 2)));
        }
        pendingById[branch.id] = branch;
        this.pendingById = pendingById; // volatile write publishes the slot
        pendingByName.put(branch.name, branch);
        pending.add(branch);
        nextId = Math.max(nextId, branch.id + 1);
        return branch;
    }

    /**
     * @return the root branch of a session, committed or pending.
     */
    private BranchState root(final String session)
    {
        final BranchState root = byName.get(session);
        return root != null ? root : pendingByName.get(session);
    }

    /**
     * On a fork named {@code <session>/<n>}: records on its root that fork number n exists.
     */
    private void countFork(final BranchState branch)
    {
        if (branch.parent == null)
        {
            return;
        }
        final int slash = branch.name.lastIndexOf('/');
        try
        {
            root(branch.session).countFork(Integer.parseInt(branch.name.substring(slash + 1)));
        }
        catch (final NumberFormatException ignore)
        {
            // a fork name not of the form <session>/<n>: it takes no number
        }
    }

    private BranchState add(final BranchState branch)
    {
        BranchState[] byId = this.byId;
        if (branch.id >= byId.length)
        {
            byId = Arrays.copyOf(byId, Math.max(branch.id + 1, byId.length * 2));
        }
        byId[branch.id] = branch;
        this.byId = byId; // volatile write publishes the slot
        byName.put(branch.name, branch);
        if (branch.parent != null)
        {
            byName.get(branch.session).family().add(branch);
        }
        nextId = Math.max(nextId, branch.id + 1);
        return branch;
    }

    /**
     * @return every branch in id order (creation order).
     */
    List<BranchState> all()
    {
        final BranchState[] byId = this.byId;
        final List<BranchState> all = new ArrayList<>();
        for (final BranchState branch : byId)
        {
            if (branch != null)
            {
                all.add(branch);
            }
        }
        return all;
    }

    /**
     * @return the root branches, one a session, in creation order.
     */
    List<BranchState> roots()
    {
        final List<BranchState> roots = new ArrayList<>();
        for (final BranchState branch : all())
        {
            if (branch.isRoot())
            {
                roots.add(branch);
            }
        }
        return roots;
    }

    /**
     * @return the branches of one session, root first, in creation order.
     */
    synchronized List<BranchState> ofSession(final String session)
    {
        final BranchState root = byName.get(session);
        return root == null || !root.isRoot() ? List.of() : List.copyOf(root.family());
    }

    int size()
    {
        return byName.size();
    }
}
