package dev.forkline.kernel;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
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
 * Damage is told apart from change, so that an event that is as it was recorded is never called changed. A seal
 * record that fails its checksum vouches for nothing: the events it sealed wait for the next seal of their branch,
 * which is checked through them, or stay not sealed. A damaged event (its own checksum fails: {@link Store#verify()}
 * reports it) is not hashed; its seal is skipped, and a gap in the steps that follows one is no sign of removal.
 * <p>
 * The events of a batch are put aside until its end: they join their branches' queues when it commits (they are
 * sealed after that), and are forgotten when it does not, as every reader forgets them.
 */
final class ChainVerifier
{
    /** An event waiting for its seal; {@code damagedSealsBefore} counts the damaged seal records read before it. */
    private record Pending(long location, int branchId, long step, EventKind kind, byte[] digest, long damagedSealsBefore)
    {
    }

    private static final class BranchChain
    {
        final ArrayDeque<Pending> pending = new ArrayDeque<>();
        byte[] previousSeal;
        long expectedStep = -1;
        long damagedRecordsBefore;
    }

    private final BranchTable branches;
    private final ChainHash hash = new ChainHash();
    private final Int2ObjectHashMap<BranchChain> chains = new Int2ObjectHashMap<>();
    private final Long2ObjectHashMap<Pending> unsealedByLocation = new Long2ObjectHashMap<>();
    private final LongHashSet damagedLocations = new LongHashSet();
    private final List<String> problems = new ArrayList<>();
    private final List<String> damage = new ArrayList<>();
    private final UnsafeBuffer record = new UnsafeBuffer(0, 0);
    private final EventHeader header = new EventHeader();
    private final byte[] expected = new byte[HASH_LENGTH];
    private final byte[] sealed = new byte[HASH_LENGTH];
    private final BatchTracker batches = new BatchTracker();
    private final List<Pending> batchEvents = new ArrayList<>();
    private long sealedCount;
    private long damagedSeals;
    private long damagedRecords;

    private ChainVerifier(final BranchTable branches)
    {
        this.branches = branches;
    }

    static ChainReport verify(final Store store, final Journal journal, final BranchTable branches)
    {
        if (!store.isReadOnly())
        {
            store.commit();
        }
        final ChainVerifier verifier = new ChainVerifier(branches);
        verifier.read(journal);
        return verifier.report();
    }

    private void read(final Journal journal)
    {
        final JournalBounds bounds = new JournalBounds();
        try (ExcerptTailer tailer = journal.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument(true))
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final int length = Journal.wrap(record, dc, bounds);
                    if (length < 0)
                    {
                        note(damage, bounds.problem());
                        break;
                    }
                    if (dc.isMetaData() && BatchRecordDescriptor.isBatchRecord(record, length))
                    {
                        batchRecord(length);
                    }
                    else if (dc.isMetaData())
                    {
                        seal(length, dc.index());
                    }
                    else
                    {
                        event(length, dc.index());
                    }
                }
            }
        }
        catch (final InternalError fault)
        {
            note(damage, JournalBounds.fault(fault));
        }
    }

    private void event(final int length, final long location)
    {
        header.wrap(record, 0);
        if (header.validate(length) != null)
        {
            // checksum damage is verify()'s to report; when the header still names the step its branch expects,
            // the branch goes on from the next one
            damagedRecords++;
            damagedLocations.add(location);
            final BranchState owner = length >= EventHeaderDescriptor.HEADER_LENGTH ? branches.byId(header.branchId()) : null;
            final BranchChain chain = owner == null ? null : chains.get(owner.id);
            if (chain != null && chain.expectedStep == header.step())
            {
                chain.expectedStep++;
            }
            return;
        }
        final boolean inBatch = batches.event(header.flags(), location);
        if (!inBatch && branches.byId(header.branchId()) == null)
        {
            return;
        }
        final byte[] digest = new byte[HASH_LENGTH];
        hash.digestRecord(record, 0, length, digest);
        final Pending pending = new Pending(location, header.branchId(), header.step(), EventKind.fromCode(header.kindCode()),
            digest, damagedSeals);
        if (inBatch)
        {
            batchEvents.add(pending);
        }
        else
        {
            enqueue(pending);
        }
    }

    private void batchRecord(final int length)
    {
        final int outcome = batches.record(record, length);
        if (outcome == BatchTracker.COMMITTED)
        {
            for (final Pending pending : batchEvents)
            {
                if (branches.byId(pending.branchId()) != null)
                {
                    enqueue(pending);
                }
            }
        }
        if (outcome == BatchTracker.COMMITTED || outcome == BatchTracker.ROLLED_BACK)
        {
            batchEvents.clear();
        }
    }

    /**
     * Puts an event in its branch's queue, to be checked against its seal when it comes.
     */
    private void enqueue(final Pending pending)
    {
        final BranchState branch = branches.byId(pending.branchId());
        final BranchChain chain = chains.computeIfAbsent(branch.id, id -> new BranchChain());
        final long step = pending.step();
        if (chain.expectedStep >= 0 && step != chain.expectedStep)
        {
            if (damagedRecords > chain.damagedRecordsBefore)
            {
                note(damage, branch.name + "@" + step + " follows a damaged record: step " + chain.expectedStep +
                    " cannot be read (verify names the record)");
            }
            else
            {
                note(problems, branch.name + "@" + step + " is out of order: step " + chain.expectedStep +
                    " was expected (an event was removed, or events were reordered)");
            }
        }
        chain.expectedStep = pending.kind() == EventKind.FORK ? step : step + 1;
        chain.damagedRecordsBefore = damagedRecords;
        chain.pending.add(pending);
        unsealedByLocation.put(pending.location(), pending);
    }

    private void seal(final int length, final long index)
    {
        final int count = ChainSealDescriptor.entryCount(record, length);
        if (count < 0)
        {
            final String problem = ChainSealDescriptor.problem(record, length);
            if (problem != null)
            {
                damagedSeals++;
                note(damage, "the seal record before journal index 0x" + Long.toHexString(index) + " is damaged (" + problem +
                    "): the events it sealed are checked with the next seal of their branch, or are not sealed");
            }
            return; // else Chronicle's own metadata
        }
        for (int i = 0; i < count; i++)
        {
            entry(ChainSealDescriptor.entryLocation(record, i), ChainSealDescriptor.entryBranchId(record, i), i);
        }
    }

    private void entry(final long location, final int branchId, final int entry)
    {
        ChainSealDescriptor.entryChain(record, entry, sealed);
        final BranchState branch = branches.byId(branchId);
        final BranchChain chain = chains.computeIfAbsent(branchId, id -> new BranchChain());
        final String name = branch == null ? "branch id " + branchId : branch.name;
        byte[] previous = chain.previousSeal;
        final List<Pending> through = new ArrayList<>(0);
        final Pending head = chain.pending.peek();
        if (head == null || head.location() != location)
        {
            final Pending target = unsealedByLocation.get(location);
            if (target != null && target.branchId() == branchId)
            {
                // sealed out of the branch's order: the events before it in the queue lack a seal, unless a damaged
                // seal record held theirs, in which case this seal is checked through them
                while (chain.pending.peek() != null && chain.pending.peek().location() != location)
                {
                    final Pending skipped = chain.pending.poll();
                    unsealedByLocation.remove(skipped.location());
                    if (skipped.damagedSealsBefore() < damagedSeals)
                    {
                        through.add(skipped);
                        final byte[] link = new byte[HASH_LENGTH];
                        hash.link(previous, skipped.digest(), link);
                        previous = link;
                    }
                    else
                    {
                        note(problems, name + "@" + skipped.step() + " has no seal of its own (inserted or moved)");
                    }
                }
            }
            else
            {
                note(damagedLocations.contains(location) ? damage : problems, name + ": the event sealed at journal index 0x" +
                    Long.toHexString(location) + (damagedLocations.contains(location) ?
                    " is damaged (verify names it): its seal cannot be checked" : " is missing (removed or moved)"));
                chain.previousSeal = sealed.clone();
                return;
            }
        }
        final Pending current = chain.pending.poll();
        unsealedByLocation.remove(current.location());
        hash.link(previous, current.digest(), expected);
        if (Arrays.equals(expected, sealed))
        {
            sealedCount += 1 + through.size();
        }
        else if (through.isEmpty())
        {
            note(problems, name + "@" + current.step() + " (" + current.kind().wireName() +
                ") does not match its seal: the event, or the one before it, was changed");
        }
        else
        {
            note(problems, name + "@" + through.get(0).step() + ".." + name + "@" + current.step() + " do not match the seal " +
                "of " + name + "@" + current.step() + ", and the seal record of the others is damaged: one of them was changed");
        }
        chain.previousSeal = sealed.clone();
    }

    private ChainReport report()
    {
        final Map<String, String> heads = new TreeMap<>();
        for (final BranchState branch : branches.all())
        {
            final BranchChain chain = chains.get(branch.id);
            if (chain != null && chain.previousSeal != null)
            {
                heads.put(branch.name, HexFormat.of().formatHex(chain.previousSeal));
            }
        }
        return new ChainReport(sealedCount, unsealedByLocation.size(), List.copyOf(problems), heads, List.copyOf(damage));
    }

    private static void note(final List<String> problems, final String problem)
    {
        if (problems.size() < VerifyReport.MAX_LISTED)
        {
            problems.add(problem);
        }
    }
}
