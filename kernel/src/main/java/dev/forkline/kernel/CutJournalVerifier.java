package dev.forkline.kernel;

import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import static dev.forkline.kernel.EventHeaderDescriptor.HEADER_LENGTH;

/**
 * Implements {@link Store#verify(Path)} for a store with a journal file cut short, which does not open: reads every
 * journal file with a {@link JournalFileReader} (never mapped), checks every event before a cut as
 * {@link Store#verify()} does, and reports each cut as a {@link VerifyReport.Damage} at the first record it reaches
 * into. {@link Store#salvage} uses it on any store, cut or not, for the account of what the store lost.
 * <p>
 * Design note: what was past a cut is gone; what can still be known of it comes from three places. The file's
 * header counts its events (the sequence of the last one), so the number lost is known. The record the cut split,
 * when its event header is still inside the file, names its branch and step. The index snapshot locates every event
 * up to its mark, so it names the branches and steps lost, and their sessions. Branch names come from the
 * {@code session.start} and {@code fork} records before the cut, else from the snapshot.
 * <p>
 * The events of a batch are counted aside until its end: with the store's when it commits, as an
 * {@link VerifyReport.UncommittedBatch} when it does not (nothing can write a store that does not open, so a batch
 * still open at the end is rolled back). Which batches committed is kept for the copy of a salvage.
 */
final class CutJournalVerifier
{
    /** Larger than the longest event (header, key and a payload of {@link Store#MAX_PAYLOAD_LENGTH}). */
    private static final int SEQUENCE_SHIFT = JournalFileDescriptor.sequenceShift(
        Journal.ROLL_CYCLE.defaultIndexCount(), Journal.ROLL_CYCLE.defaultIndexSpacing());
    private static final DateTimeFormatter FILE_NAME = new DateTimeFormatterBuilder()
        .appendPattern(Journal.ROLL_CYCLE.format())
        .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
        .toFormatter(Locale.ROOT);

    /** A cut found while reading, reported once the whole journal (and so the snapshot's mark) has been read. */
    private record CutFile(Path file, long cycle, long size, long reach, long offset, long firstLost, long lastSequence,
        boolean eventsLost, int splitBranchId, long splitStep, int slot, int lastBranchId, long lastStep)
    {
    }

    private final IndexSnapshot.Loaded snapshot;
    private final List<JournalFileCheck.Cut> found;
    private final EventHeader header = new EventHeader();
    private final Map<Integer, String> names = new HashMap<>();
    private final Map<Integer, String> sessions = new HashMap<>();
    private final List<VerifyReport.Damage> damaged = new ArrayList<>();
    private final List<CutFile> cuts = new ArrayList<>();
    private final List<String> lostSteps = new ArrayList<>();
    private final TreeSet<String> affected = new TreeSet<>();
    private long events;
    private long bytes;
    private long damagedCount;
    private int lastBranchId = -1;
    private long lastStep;
    private boolean snapshotMatches = true;
    private String firstLostSession;
    private String firstLostEvent;

    private final BatchTracker batches = new BatchTracker();
    private final BitSet committedBatches = new BitSet();
    private final List<VerifyReport.UncommittedBatch> uncommitted = new ArrayList<>();
    private final Map<Integer, String> batchNames = new HashMap<>();
    private final Map<Integer, String> batchSessionsById = new HashMap<>();
    private final LinkedHashSet<String> batchSessions = new LinkedHashSet<>(); // the first of them
    private final java.util.HashSet<String> batchCommittedSessions = new java.util.HashSet<>();
    private long batchSessionCount;
    private long batchBytes;

    private CutJournalVerifier(final IndexSnapshot.Loaded snapshot, final List<JournalFileCheck.Cut> found)
    {
        this.snapshot = snapshot;
        this.found = found;
    }

    /**
     * @param cuts the cut files {@link JournalFileCheck#find} found: the offsets their records reach, as opening the
     *             store reports them.
     */
    static VerifyReport verify(final Path storeDir, final List<JournalFileCheck.Cut> cuts)
    {
        return read(storeDir, cuts).report();
    }

    /**
     * Reads the store for {@link #report()} and {@link #committedBatches()}.
     */
    static CutJournalVerifier read(final Path storeDir, final List<JournalFileCheck.Cut> cuts)
    {
        final CutJournalVerifier verifier = new CutJournalVerifier(IndexSnapshot.load(storeDir), cuts);
        JournalFileReader.readEach(storeDir, verifier::read);
        if (verifier.batches.rollBack())
        {
            verifier.batchEnded(false);
        }
        return verifier;
    }

    /**
     * @return the batches that committed, by their number in journal order ({@link BatchTracker#ordinal()}).
     */
    BitSet committedBatches()
    {
        return committedBatches;
    }

    private void read(final JournalFileReader reader, final Path file) throws IOException
    {
        reader.open(file);
        final long cycle = cycleOf(file);
        final JournalFileReader.Header fileHeader = reader.readHeader();
        if (fileHeader == JournalFileReader.Header.CUT)
        {
            cut(reader, cycle, 0, -1, true);
            return;
        }
        if (fileHeader != JournalFileReader.Header.READ)
        {
            if (fileHeader == JournalFileReader.Header.UNKNOWN_LAYOUT)
            {
                damage(index(cycle, 0), file, 0, "the journal file's header is not in a layout Forkline reads", -1, 0);
            }
            return;
        }
        long sequence = 0;
        JournalFileReader.Found found = reader.moveTo(reader.firstDocument());
        while (found == JournalFileReader.Found.DOCUMENT)
        {
            if (!reader.isMetaData())
            {
                event(reader, index(cycle, sequence++));
            }
            else
            {
                batchRecord(reader, index(cycle, sequence));
                if (reader.position() > 0)
                {
                    metaData(reader, index(cycle, sequence));
                }
            }
            found = reader.next();
        }
        final long lastSequence = reader.writeSequence(SEQUENCE_SHIFT);
        if (found == JournalFileReader.Found.CUT)
        {
            cut(reader, cycle, sequence, lastSequence, reader.writePosition() >= reader.position());
        }
        else if (reader.writePosition() > reader.position())
        {
            damage(index(cycle, sequence), file, reader.position(), "the records end here, before the file's last event " +
                "(at offset " + reader.writePosition() + "): the events after this offset cannot be read", -1, 0);
        }
    }

    /**
     * Checks a seal record as {@link SealCheck} does for a store that opens.
     */
    private void metaData(final JournalFileReader reader, final long index) throws IOException
    {
        final DirectBuffer record = reader.document();
        final String problem = record == null ? null : ChainSealDescriptor.problem(record, reader.length());
        if (problem != null)
        {
            damage(index, reader.file(), reader.position(), problem, -1, 0);
        }
    }

    private void event(final JournalFileReader reader, final long index) throws IOException
    {
        final DirectBuffer record = reader.document();
        final int length = reader.length();
        if (record == null)
        {
            damage(index, reader.file(), reader.position(), "record of " + length + " bytes is longer than any event", -1, 0);
            return;
        }
        header.wrap(record, 0);
        if (snapshot != null && index == snapshot.mark())
        {
            // the snapshot is of this journal only if the event at its mark is the one it recorded
            snapshotMatches = length >= Integer.BYTES && header.checksum() == snapshot.markChecksum();
        }
        final String problem = header.validate(length);
        if (problem != null)
        {
            final boolean hasHeader = length >= HEADER_LENGTH;
            damage(index, reader.file(), reader.position(), problem, hasHeader ? header.branchId() : -1,
                hasHeader ? header.step() : 0);
            return;
        }
        final boolean inBatch = batches.event(header.flags(), index);
        final EventKind kind = EventKind.fromCode(header.kindCode());
        if (header.keyLength() > 0 && (kind == EventKind.SESSION_START || kind == EventKind.FORK))
        {
            final String name = record.getStringWithoutLengthUtf8(HEADER_LENGTH, header.keyLength());
            String session = kind == EventKind.FORK ? sessions.get(header.parentBranchId()) : name;
            if (session == null && kind == EventKind.FORK)
            {
                session = batchSessionsById.get(header.parentBranchId());
            }
            (inBatch ? batchNames : names).putIfAbsent(header.branchId(), name);
            (inBatch ? batchSessionsById : sessions).putIfAbsent(header.branchId(),
                session == null ? name.split("/", 2)[0] : session);
        }
        if (inBatch)
        {
            batchBytes += header.payloadLength();
            final String created = batchSessionsById.get(header.branchId());
            final String committed = created == null ? sessions.get(header.branchId()) : null;
            if (kind == EventKind.SESSION_START || committed != null && batchCommittedSessions.add(committed))
            {
                batchSessionCount++;
            }
            final String session = created != null ? created : committed;
            if (session != null && batchSessions.size() < VerifyReport.MAX_LISTED)
            {
                batchSessions.add(session);
            }
        }
        else
        {
            events++;
            bytes += header.payloadLength();
        }
        lastBranchId = header.branchId();
        lastStep = header.step();
    }

    /**
     * Follows the begin, commit or abort of a batch; other metadata (seals, Chronicle's own) is passed over.
     */
    private void batchRecord(final JournalFileReader reader, final long nextIndex) throws IOException
    {
        final DirectBuffer record = reader.document();
        if (record == null)
        {
            return;
        }
        final int outcome = batches.record(record, reader.length());
        if (outcome == BatchTracker.DAMAGED)
        {
            damage(nextIndex, reader.file(), reader.position(), "damaged batch record: " + batches.problem(), -1, 0);
        }
        else if (outcome == BatchTracker.COMMITTED || outcome == BatchTracker.ROLLED_BACK)
        {
            batchEnded(outcome == BatchTracker.COMMITTED);
        }
    }

    private void batchEnded(final boolean committed)
    {
        if (committed)
        {
            committedBatches.set((int)batches.endedOrdinal());
            events += batches.endedEvents();
            bytes += batchBytes;
            batchNames.forEach(names::putIfAbsent);
            batchSessionsById.forEach(sessions::putIfAbsent);
        }
        else if (batches.endedEvents() > 0 && uncommitted.size() < VerifyReport.MAX_LISTED)
        {
            uncommitted.add(new VerifyReport.UncommittedBatch(batches.endedFirstIndex(), batches.endedEvents(),
                List.copyOf(batchSessions), batchSessionCount, false));
        }
        batchBytes = 0;
        batchSessionCount = 0;
        batchCommittedSessions.clear();
        batchNames.clear();
        batchSessionsById.clear();
        batchSessions.clear();
    }

    /**
     * Notes a cut at the reader's position: what is known of the record there is read now, the rest once the whole
     * journal has been read.
     */
    private void cut(
        final JournalFileReader reader, final long cycle, final long firstLost, final long lastSequence, final boolean eventsLost)
        throws IOException
    {
        int splitBranchId = -1;
        long splitStep = 0;
        final DirectBuffer start = reader.isMetaData() ? null : reader.documentStart(HEADER_LENGTH);
        if (start != null)
        {
            header.wrap(start, 0);
            if (header.magic() == EventHeaderDescriptor.MAGIC)
            {
                splitBranchId = header.branchId();
                splitStep = header.step();
            }
        }
        damagedCount++;
        final int slot = damaged.size() < VerifyReport.MAX_LISTED ? damaged.size() : -1;
        if (slot >= 0)
        {
            damaged.add(null); // filled in by report()
        }
        long size = reader.size();
        long reach = reader.reach();
        for (final JournalFileCheck.Cut cut : found)
        {
            if (cut.file().equals(reader.file()))
            {
                size = cut.size();
                reach = Math.max(reach, cut.reach()); // where the last record ends, which a reader cannot see past the cut
            }
        }
        cuts.add(new CutFile(reader.file(), cycle, size, reach, reader.position(), firstLost, lastSequence, eventsLost,
            splitBranchId, splitStep, slot, lastBranchId, lastStep));
    }

    VerifyReport report()
    {
        for (final CutFile cut : cuts)
        {
            firstLostSession = null;
            firstLostEvent = null;
            final long located = cut.eventsLost() ? locateLost(cut) : 0;
            final boolean split = cut.splitBranchId() >= 0;
            final String session = split ? session(cut.splitBranchId()) : firstLostSession;
            if (session != null)
            {
                affected.add(session);
            }
            if (cut.slot() >= 0)
            {
                damaged.set(cut.slot(), new VerifyReport.Damage(index(cut.cycle(), cut.firstLost()), cut.file().toString(),
                    cut.offset(), describe(cut, located), session,
                    split ? eventName(cut.splitBranchId(), cut.splitStep()) : firstLostEvent));
            }
        }
        return new VerifyReport(events, bytes, List.copyOf(damaged), damagedCount, List.copyOf(lostSteps), List.copyOf(affected),
            List.copyOf(uncommitted));
    }

    /**
     * @param located how many of the lost events the index snapshot locates.
     * @return the problem of a cut: where the file ends, what was lost, and the last event before the cut.
     */
    private String describe(final CutFile cut, final long located)
    {
        final StringBuilder problem = new StringBuilder("the journal file was cut short at ").append(cut.size())
            .append(" bytes (its records reach offset ").append(cut.reach()).append("): ");
        final long lost = cut.lastSequence() >= cut.firstLost() ? cut.lastSequence() - cut.firstLost() + 1 : -1;
        if (!cut.eventsLost())
        {
            problem.append("no event is lost, only records written after the last event (seals of the hash chain)");
        }
        else
        {
            if (cut.offset() == 0)
            {
                problem.append("every record in it is lost");
            }
            else if (lost > 0)
            {
                problem.append(lost).append(lost == 1 ? " event from here on is lost" : " events from here on are lost");
            }
            else
            {
                problem.append("the events from here on are lost");
            }
            if (snapshot == null || !snapshotMatches)
            {
                problem.append("; no index snapshot locates them, so their sessions are not known");
            }
            else if (located == 0)
            {
                problem.append("; the index snapshot locates none of them (they were written after it)");
            }
            else if (located == lost)
            {
                problem.append(lost == 1 ? "; the index snapshot locates it" : "; the index snapshot locates all of them");
            }
            else
            {
                problem.append("; the index snapshot locates ").append(located).append(" of them");
            }
        }
        if (cut.lastBranchId() >= 0)
        {
            problem.append("; the last event before the cut is ").append(eventName(cut.lastBranchId(), cut.lastStep()));
        }
        return problem.toString();
    }

    /**
     * @return how many events the index snapshot locates past the cut; notes their steps and sessions, and the
     * first of them.
     */
    private long locateLost(final CutFile cut)
    {
        if (snapshot == null || !snapshotMatches || cut.cycle() < 0)
        {
            return 0;
        }
        final long firstLostIndex = index(cut.cycle(), cut.firstLost());
        final String fileName = cut.file().getFileName().toString();
        long located = 0;
        for (final BranchState branch : snapshot.table().all())
        {
            long first = -1;
            long last = -1;
            for (long step = branch.forkStep; step < branch.length(); step++)
            {
                final long location = branch.ownLocation(step);
                if (isLost(location, cut))
                {
                    first = first < 0 ? step : first;
                    last = step;
                    located++;
                    if (location == firstLostIndex)
                    {
                        firstLostSession = branch.session;
                        firstLostEvent = branch.name + "@" + step;
                    }
                }
            }
            final boolean forkLost = isLost(branch.forkEventLocation(), cut);
            if (forkLost)
            {
                located++;
                if (branch.forkEventLocation() == firstLostIndex)
                {
                    firstLostSession = branch.session;
                    firstLostEvent = branch.name + "@" + branch.forkStep;
                }
                noteLost(branch.name + "'s fork event is lost with the cut of " + fileName);
            }
            if (first >= 0)
            {
                noteLost(branch.name + "@" + first + (last > first ? ".." + branch.name + "@" + last + " are" : " is") +
                    " lost with the cut of " + fileName);
            }
            if (forkLost || first >= 0)
            {
                affected.add(branch.session);
            }
        }
        return located;
    }

    private static boolean isLost(final long location, final CutFile cut)
    {
        return location != BranchState.NO_LOCATION && Journal.ROLL_CYCLE.toCycle(location) == cut.cycle() &&
            Journal.ROLL_CYCLE.toSequenceNumber(location) >= cut.firstLost();
    }

    private void noteLost(final String problem)
    {
        if (lostSteps.size() < VerifyReport.MAX_LISTED)
        {
            lostSteps.add(problem);
        }
    }

    private void damage(final long index, final Path file, final long offset, final String problem, final int branchId,
        final long step)
    {
        damagedCount++;
        final String session = branchId < 0 ? null : session(branchId);
        if (session != null)
        {
            affected.add(session);
        }
        if (damaged.size() < VerifyReport.MAX_LISTED)
        {
            damaged.add(new VerifyReport.Damage(index, file.toString(), offset, problem, session,
                session == null ? null : eventName(branchId, step)));
        }
    }

    private String session(final int branchId)
    {
        final String session = sessions.get(branchId);
        if (session != null || snapshot == null || !snapshotMatches)
        {
            return session;
        }
        final BranchState branch = snapshot.table().byId(branchId);
        return branch == null ? null : branch.session;
    }

    private String eventName(final int branchId, final long step)
    {
        String name = names.containsKey(branchId) ? names.get(branchId) : batchNames.get(branchId);
        if (name == null && snapshot != null && snapshotMatches)
        {
            final BranchState branch = snapshot.table().byId(branchId);
            name = branch == null ? null : branch.name;
        }
        return (name == null ? "branch id " + branchId : name) + "@" + step;
    }

    private static long index(final long cycle, final long sequence)
    {
        return cycle < 0 ? BranchState.NO_LOCATION : Journal.ROLL_CYCLE.toIndex((int)cycle, sequence);
    }

    /**
     * @return the roll cycle a journal file holds, from its name, or -1 when the name is not of the roll cycle.
     */
    static long cycleOf(final Path file)
    {
        final String name = file.getFileName().toString();
        final int dot = name.lastIndexOf('.');
        try
        {
            final long millis = LocalDateTime.parse(dot < 0 ? name : name.substring(0, dot), FILE_NAME)
                .toInstant(ZoneOffset.UTC).toEpochMilli() - Journal.ROLL_CYCLE.defaultEpoch();
            return Math.floorDiv(millis, Journal.ROLL_CYCLE.lengthInMillis());
        }
        catch (final DateTimeParseException ex)
        {
            return -1;
        }
    }
}
