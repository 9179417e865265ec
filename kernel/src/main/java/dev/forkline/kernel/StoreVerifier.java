package dev.forkline.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Implements {@link Store#verify()}: one pass over the journal's events in write order, one over its seal records
 * ({@link SealCheck}), then one over the index.
 */
final class StoreVerifier
{
    private StoreVerifier()
    {
    }

    static VerifyReport verify(final Store store, final Journal journal, final BranchTable branches)
    {
        if (!store.isReadOnly())
        {
            store.commit();
        }
        else
        {
            store.refresh();
        }
        final List<VerifyReport.Damage> damaged = new ArrayList<>();
        final List<String> indexProblems = new ArrayList<>();
        final TreeSet<String> affected = new TreeSet<>();
        long events = 0;
        long bytes = 0;
        long damagedCount = 0;
        final List<VerifyReport.UncommittedBatch> uncommitted;
        try (JournalCursor cursor = store.readJournal())
        {
            cursor.reportUncommitted();
            while (cursor.next())
            {
                final EventView event = cursor.event();
                if (cursor.problem() != null)
                {
                    damagedCount++;
                    final BranchState guess = branches.byId(event.branchIdIfPresent());
                    if (guess != null)
                    {
                        affected.add(guess.session);
                    }
                    if (damaged.size() < VerifyReport.MAX_LISTED)
                    {
                        damaged.add(new VerifyReport.Damage(cursor.journalIndex(), String.valueOf(cursor.file()),
                            cursor.fileOffset(), cursor.problem(), guess == null ? null : guess.session,
                            guess == null ? null : guess.name + "@" + event.step()));
                    }
                    continue;
                }
                events++;
                bytes += event.payloadLength();
                final BranchState branch = branches.byId(event.branchId());
                final long location = event.kind() == EventKind.FORK ? branch.forkEventLocation() : branch.ownLocation(event.step());
                if (location != cursor.journalIndex())
                {
                    note(indexProblems, branch.name + "@" + event.step() + " is indexed at 0x" + Long.toHexString(location) +
                        " but recorded at 0x" + Long.toHexString(cursor.journalIndex()));
                    affected.add(branch.session);
                }
            }
            uncommitted = cursor.uncommitted(!store.isReadOnly() || StoreLock.lastWriterAlive(store.directory()));
        }
        final long[] damagedSeals = new long[1];
        SealCheck.check(journal, store.directory(), damage ->
        {
            damagedSeals[0]++;
            if (damaged.size() < VerifyReport.MAX_LISTED)
            {
                damaged.add(damage);
            }
        });
        damagedCount += damagedSeals[0];
        for (final BranchState branch : branches.all())
        {
            for (long step = branch.forkStep; step < branch.length(); step++)
            {
                if (branch.ownLocation(step) == BranchState.NO_LOCATION)
                {
                    note(indexProblems, branch.name + "@" + step + " is missing");
                    affected.add(branch.session);
                }
            }
        }
        return new VerifyReport(events, bytes, List.copyOf(damaged), damagedCount, List.copyOf(indexProblems),
            List.copyOf(affected), uncommitted);
    }

    private static void note(final List<String> problems, final String problem)
    {
        if (problems.size() < VerifyReport.MAX_LISTED)
        {
            problems.add(problem);
        }
    }
}
