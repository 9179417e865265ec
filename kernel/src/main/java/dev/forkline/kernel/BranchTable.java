package dev.forkline.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The branches of a store, by id and by name. Registration is synchronised (it is rare: a session start
 * or a fork); look-ups are lock-free.
 */
final class BranchTable
{
    private final ConcurrentHashMap<String, BranchState> byName;
    private volatile BranchState[] byId;
    private int nextId; // guarded by this

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
     * @throws IllegalArgumentException when the session exists already.
     */
    synchronized BranchState newRoot(final String session)
    {
        if (byName.containsKey(session))
        {
            throw new IllegalArgumentException("session '" + session + "' exists already");
        }
        return add(new BranchState(nextId, session, session, null, 0));
    }

    /**
     * Registers a new fork of {@code parent} at {@code step}, named {@code <session>/<n>} with the next n of
     * its session.
     */
    synchronized BranchState newFork(final BranchState parent, final long step)
    {
        final BranchState root = byName.get(parent.session);
        final int forkNumber = root.forkCount() + 1;
        root.countFork(forkNumber);
        return add(new BranchState(nextId, parent.session + "/" + forkNumber, parent.session, parent, step));
    }

    /**
     * Registers a branch read back from the journal, with the id the writer gave it.
     *
     * @return the branch, or null when the name or id is taken (a damaged journal).
     */
    synchronized BranchState restore(final int id, final String name, final BranchState parent, final long forkStep)
    {
        if (byName.containsKey(name) || byId(id) != null || id < 0)
        {
            return null;
        }
        final String session = parent == null ? name : parent.session;
        final BranchState branch = new BranchState(id, name, session, parent, forkStep);
        if (parent != null)
        {
            final BranchState root = byName.get(session);
            final int slash = name.lastIndexOf('/');
            try
            {
                root.countFork(Integer.parseInt(name.substring(slash + 1)));
            }
            catch (final NumberFormatException ignore)
            {
                // a fork name not of the form <session>/<n>: it takes no number
            }
        }
        return add(branch);
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
