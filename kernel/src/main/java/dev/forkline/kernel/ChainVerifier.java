package dev.forkline.kernel;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.forkline.kernel.ChainSealDescriptor.*;

/**
 * Implements {@link Store#verifyChain()}: one pass over the journal, data and seal records together. Each
 * event's record digest waits in its branch's queue until the seal that covers it arrives; then the link is
 * recomputed from the previous seal of the branch and compared. Taking the previous link from the seal rather
 * than from the recomputation keeps a damage local: the event that was changed is the one named.
 * <p>
 * The events of a batch are put aside until its end: they join their branches' queues when it commits (they are
 * sealed after that), and are forgotten when it does not, as every reader forgets them.
 */
final class ChainVerifier
{
    private record Pending(long location, int branchId, long step, EventKind kind, byte[] digest)
    {
    }

    private static final class BranchChain
    {
        final ArrayDeque<Pending> pending = new ArrayDeque<>();
        byte[] previousSeal;
        long expectedStep = -1;
    }

    private ChainVerifier()
    {
    }

    static ChainReport verify(final Store store, final Journal journal, final BranchTable branches)
    {
        if (!store.isReadOnly())
        {
            store.commit();
        }
        final ChainHash hash = new ChainHash();
        final Int2ObjectHashMap<BranchChain> chains = new Int2ObjectHashMap<>();
        final Long2ObjectHashMap<Pending> unsealedByLocation = new Long2ObjectHashMap<>();
        final List<String> problems = new ArrayList<>();
        final UnsafeBuffer record = new UnsafeBuffer(0, 0);
        final EventHeader header = new EventHeader();
        final byte[] expected = new byte[HASH_LENGTH];
        final byte[] sealed = new byte[HASH_LENGTH];
        final JournalBounds bounds = new JournalBounds();
        final BatchTracker batches = new BatchTracker();
        final List<Pending> batchEvents = new ArrayList<>();
        long sealedCount = 0;
        boolean cutShort = false;

        try (ExcerptTailer tailer = journal.createTailer())
        {
            while (!cutShort)
            {
                try (DocumentContext dc = tailer.readingDocument(true))
                {
                    if (!dc.isPresent() || cutShort)
                    {
                        break;
                    }
                    final int length = Journal.wrap(record, dc, bounds);
                    if (length < 0)
                    {
                        note(problems, bounds.problem());
                        cutShort = true;
                        continue;
                    }
                    if (!dc.isMetaData())
                    {
                        header.wrap(record, 0);
                        if (header.validate(length) != null)
                        {
                            continue; // checksum damage is verify()'s to report
                        }
                        final boolean inBatch = batches.event(header.flags(), dc.index());
                        if (!inBatch && branches.byId(header.branchId()) == null)
                        {
                            continue;
                        }
                        final byte[] digest = new byte[HASH_LENGTH];
                        hash.digestRecord(record, 0, length, digest);
                        final Pending pending = new Pending(dc.index(), header.branchId(), header.step(),
                            EventKind.fromCode(header.kindCode()), digest);
                        if (inBatch)
                        {
                            batchEvents.add(pending);
                        }
                        else
                        {
                            enqueue(pending, branches, chains, unsealedByLocation, problems);
                        }
                    }
                    else if (BatchRecordDescriptor.isBatchRecord(record, length))
                    {
                        final int outcome = batches.record(record, length);
                        if (outcome == BatchTracker.COMMITTED)
                        {
                            for (final Pending pending : batchEvents)
                            {
                                if (branches.byId(pending.branchId()) != null)
                                {
                                    enqueue(pending, branches, chains, unsealedByLocation, problems);
                                }
                            }
                        }
                        if (outcome == BatchTracker.COMMITTED || outcome == BatchTracker.ROLLED_BACK)
                        {
                            batchEvents.clear();
                        }
                    }
                    else
                    {
                        final int count = ChainSealDescriptor.entryCount(record, length);
                        for (int i = 0; i < count; i++)
                        {
                            final long location = ChainSealDescriptor.entryLocation(record, i);
                            final int branchId = ChainSealDescriptor.entryBranchId(record, i);
                            ChainSealDescriptor.entryChain(record, i, sealed);
                            final BranchState branch = branches.byId(branchId);
                            final BranchChain chain = chains.computeIfAbsent(branchId, id -> new BranchChain());
                            final String name = branch == null ? "branch id " + branchId : branch.name;
                            final Pending head = chain.pending.peek();
                            if (head == null || head.location() != location)
                            {
                                final Pending target = unsealedByLocation.get(location);
                                if (target != null && target.branchId() == branchId)
                                {
                                    // sealed out of the branch's order: everything before it in the queue lacks a seal
                                    while (chain.pending.peek() != null && chain.pending.peek().location() != location)
                                    {
                                        final Pending skipped = chain.pending.poll();
                                        unsealedByLocation.remove(skipped.location());
                                        note(problems, name + "@" + skipped.step() + " has no seal of its own (inserted or moved)");
                                    }
                                }
                                else
                                {
                                    note(problems, name + ": the event sealed at journal index 0x" + Long.toHexString(location) +
                                        " is missing (removed or moved)");
                                    chain.previousSeal = sealed.clone();
                                    continue;
                                }
                            }
                            final Pending current = chain.pending.poll();
                            unsealedByLocation.remove(current.location());
                            hash.link(chain.previousSeal, current.digest(), expected);
                            if (!Arrays.equals(expected, sealed))
                            {
                                note(problems, name + "@" + current.step() + " (" + current.kind().wireName() +
                                    ") does not match its seal: the event, or the one before it, was changed");
                            }
                            else
                            {
                                sealedCount++;
                            }
                            chain.previousSeal = sealed.clone();
                        }
                    }
                }
            }
        }
        catch (final InternalError fault)
        {
            note(problems, JournalBounds.fault(fault));
        }

        final Map<String, String> heads = new TreeMap<>();
        for (final BranchState branch : branches.all())
        {
            final BranchChain chain = chains.get(branch.id);
            if (chain != null && chain.previousSeal != null)
            {
                heads.put(branch.name, HexFormat.of().formatHex(chain.previousSeal));
            }
        }
        return new ChainReport(sealedCount, unsealedByLocation.size(), List.copyOf(problems), heads);
    }

    /**
     * Puts an event in its branch's queue, to be checked against its seal when it comes.
     */
    private static void enqueue(final Pending pending, final BranchTable branches, final Int2ObjectHashMap<BranchChain> chains,
        final Long2ObjectHashMap<Pending> unsealedByLocation, final List<String> problems)
    {
        final BranchState branch = branches.byId(pending.branchId());
        final BranchChain chain = chains.computeIfAbsent(branch.id, id -> new BranchChain());
        final long step = pending.step();
        if (chain.expectedStep >= 0 && step != chain.expectedStep)
        {
            note(problems, branch.name + "@" + step + " is out of order: step " + chain.expectedStep +
                " was expected (an event was removed, or events were reordered)");
        }
        chain.expectedStep = pending.kind() == EventKind.FORK ? step : step + 1;
        chain.pending.add(pending);
        unsealedByLocation.put(pending.location(), pending);
    }

    private static void note(final List<String> problems, final String problem)
    {
        if (problems.size() < VerifyReport.MAX_LISTED)
        {
            problems.add(problem);
        }
    }
}
