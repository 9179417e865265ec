package dev.forkline.kernel;

import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.forkline.kernel.EventHeaderDescriptor.HEADER_LENGTH;

/**
 * The copy of {@link Store#salvage}: reads every journal file of a damaged store with a {@link JournalFileReader},
 * never mapped, and writes each sound event into a new store through the store's own writing methods, in journal
 * order.
 * <p>
 * Design note: every event keeps its step, since steps are how forks, replays and users refer to events; but an
 * append-only store gives an append the next step of its branch. So an event is copied only when its step is the
 * next one of its branch in the new store. When steps are missing (a damaged record, or a cut in an earlier journal
 * file), the branch's later events cannot keep their steps: the copy of the branch ends before the first missing
 * step, and its later events are dropped and reported. A fork is recreated ({@link Store#fork}) when its parent was
 * copied up to its fork step, else it is dropped with its events, and so are its own forks. A damaged record is
 * trusted for nothing, not even the branch and step in its header: the missing steps are found from the events that
 * follow them.
 * <p>
 * {@link Store#fork} names a fork {@code <session>/<n>} with the next n of its session. When an earlier fork of the
 * session was dropped, the session's fork count is raised first so that the fork keeps its number (as the index
 * does when it reads a journal back). A fork numbered below one already given (two forks of a session made at the
 * same time, whose fork events reached the journal out of number order) takes the next number, and is reported
 * as renamed.
 * <p>
 * The events of a batch are copied only if it committed, which the account of the store read first says by the
 * batch's number in journal order; the copy is not a batch of the new store, which is renamed into place whole.
 * <p>
 * Threading: one thread.
 */
final class SalvageCopy
{
    /** Larger than the longest event (header, key and a payload of {@link Store#MAX_PAYLOAD_LENGTH}). */

    /** A branch of the damaged store, by its id there. */
    private static final class Branch
    {
        final String name;
        /** The record that created the branch ("session.start", "fork event"), or null when none is sound. */
        final String creator;
        /** The copy, or null when the branch is not copied. */
        BranchWriter writer;
        /** Why the branch is not copied. */
        String notCopied;
        /** The steps whose absence ended the copy, when it was ended early. */
        long missingFrom = -1;
        long missingTo;
        long droppedEvents;
        long firstDropped = Long.MAX_VALUE;
        long lastDropped = Long.MIN_VALUE;

        Branch(final String name, final String creator)
        {
            this.name = name;
            this.creator = creator;
        }
    }

    private final Store target;
    private final BitSet committedBatches;
    private final BatchTracker batches = new BatchTracker();
    private final EventHeader header = new EventHeader();
    private final Map<Integer, Branch> branches = new HashMap<>();
    private final List<Branch> dropping = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, String> renamed = new LinkedHashMap<>();
    private long events;
    private long droppedEvents;
    private int sessions;
    private int forks;

    private SalvageCopy(final Store target, final BitSet committedBatches)
    {
        this.target = target;
        this.committedBatches = committedBatches;
    }

    /**
     * Copies every sound event of the store in {@code storeDir} into {@code target}, but those of batches that did not
     * commit.
     *
     * @param committedBatches the batches that committed, by number ({@link CutJournalVerifier#committedBatches()}).
     * @throws ForklineException {@code IO_ERROR} when a journal file cannot be read; what the target throws.
     */
    static SalvageCopy copy(final Path storeDir, final Store target, final BitSet committedBatches)
    {
        final SalvageCopy copy = new SalvageCopy(target, committedBatches);
        JournalFileReader.readEach(storeDir, copy::read);
        return copy;
    }

    /**
     * @param source what the damaged store lost.
     */
    SalvageReport report(final VerifyReport source)
    {
        final List<String> dropped = new ArrayList<>();
        for (final Branch branch : dropping)
        {
            list(dropped, describe(branch));
        }
        for (final String note : notes)
        {
            list(dropped, note);
        }
        return new SalvageReport(events, sessions, sessions + forks, source, droppedEvents, List.copyOf(dropped),
            Collections.unmodifiableMap(new LinkedHashMap<>(renamed)));
    }

    private void read(final JournalFileReader reader, final Path file) throws IOException
    {
        reader.open(file);
        if (reader.readHeader() != JournalFileReader.Header.READ)
        {
            return; // cut before its first record, not written, or not in a layout the kernel reads: verify names it
        }
        JournalFileReader.Found found = reader.moveTo(reader.firstDocument());
        while (found == JournalFileReader.Found.DOCUMENT)
        {
            final DirectBuffer record = reader.document();
            if (!reader.isMetaData())
            {
                if (record != null && header.wrap(record, 0).validate(reader.length()) == null &&
                    (!batches.event(header.flags(), 0) || committedBatches.get((int)batches.ordinal())))
                {
                    copy(record);
                }
            }
            else if (record != null)
            {
                batches.record(record, reader.length());
            }
            found = reader.next();
        }
    }

    private void copy(final DirectBuffer record)
    {
        final EventKind kind = EventKind.fromCode(header.kindCode());
        if (kind == EventKind.SESSION_START)
        {
            startSession(record);
        }
        else if (kind == EventKind.FORK)
        {
            fork(record);
        }
        else
        {
            append(record, kind);
        }
    }

    private void startSession(final DirectBuffer record)
    {
        final String name = key(record);
        final Branch branch = created(name, "session.start");
        if (branch == null)
        {
            return;
        }
        if (header.step() != 0)
        {
            branch.notCopied = "its session.start is at step " + header.step() + ", not 0";
            drop(branch, header.step());
            return;
        }
        try
        {
            branch.writer = target.startSession(name, text(record, name), header.timestampNanos());
        }
        catch (final IllegalArgumentException ex)
        {
            branch.notCopied = ex.getMessage(); // a session id that is taken, or malformed
            drop(branch, 0);
            return;
        }
        sessions++;
        events++;
    }

    private void fork(final DirectBuffer record)
    {
        final long step = header.step();
        final String name = key(record);
        final Branch parent = branches.get(header.parentBranchId());
        final Branch branch = created(name, "fork event");
        if (branch == null)
        {
            return;
        }
        if (parent == null)
        {
            branch.notCopied = "its parent, branch id " + header.parentBranchId() +
                ", has no sound session.start or fork event";
        }
        else if (parent.writer == null)
        {
            branch.notCopied = "its parent " + parent.name + " is not copied";
        }
        else if (parent.writer.nextStep() < step)
        {
            branch.notCopied = "it forks " + parent.name + " at step " + step + ", but the copy of " + parent.name +
                " has " + parent.writer.nextStep() + " steps";
        }
        if (branch.notCopied != null)
        {
            drop(branch, step);
            return;
        }
        final String reason = reason(record, name, parent.name, step);
        keepForkNumber(parent.writer.session(), name);
        branch.writer = target.fork(parent.writer.branch(), step, reason, header.timestampNanos());
        if (!branch.writer.branch().equals(name))
        {
            renamed.put(name, branch.writer.branch());
        }
        forks++;
        events++;
    }

    private void append(final DirectBuffer record, final EventKind kind)
    {
        final int id = header.branchId();
        final long step = header.step();
        Branch branch = branches.get(id);
        if (branch == null)
        {
            branch = new Branch("branch id " + id, null);
            branch.notCopied = "no sound session.start or fork event creates it";
            branches.put(id, branch);
        }
        if (branch.writer != null && branch.missingFrom < 0)
        {
            final long next = branch.writer.nextStep();
            if (step == next)
            {
                branch.writer.append(kind, header.flags(), header.timestampNanos(), record,
                    HEADER_LENGTH + header.keyLength(), header.payloadLength());
                events++;
                return;
            }
            if (step < next)
            {
                droppedEvents++;
                notes.add(branch.name + "@" + step + " (1 event): step " + step + " of " + branch.name +
                    " was copied already (the journal holds it twice)");
                return;
            }
            branch.missingFrom = next;
            branch.missingTo = step - 1;
        }
        drop(branch, step);
    }

    /**
     * @return the branch a {@code session.start} or {@code fork} record creates, or null when its id was created
     * before (a damaged journal), which is noted.
     */
    private Branch created(final String name, final String creator)
    {
        final int id = header.branchId();
        if (branches.containsKey(id))
        {
            droppedEvents++;
            notes.add(name + " (its " + creator + "): branch id " + id + " was created before, as " + branches.get(id).name);
            return null;
        }
        final Branch branch = new Branch(name, creator);
        branches.put(id, branch);
        return branch;
    }

    private void drop(final Branch branch, final long step)
    {
        if (branch.droppedEvents++ == 0)
        {
            dropping.add(branch);
        }
        branch.firstDropped = Math.min(branch.firstDropped, step);
        branch.lastDropped = Math.max(branch.lastDropped, step);
        droppedEvents++;
    }

    /**
     * {@link Store#fork} gives the next number of the session: raise the session's count to just below this fork's
     * number, in case forks before it were dropped.
     */
    private void keepForkNumber(final String session, final String name)
    {
        final String prefix = session + "/";
        if (name.startsWith(prefix))
        {
            try
            {
                target.state(session).countFork(Integer.parseInt(name.substring(prefix.length())) - 1);
            }
            catch (final NumberFormatException ignore)
            {
                // not a name Store.fork gives: the fork takes the next number and is reported as renamed
            }
        }
    }

    /**
     * @return the reason in a fork event, whose payload {@link Store#fork} writes as
     * {@code {"parent":<name>,"at":<step>,"reason":<string or null>}}; null, noted, for a payload of another form.
     */
    private String reason(final DirectBuffer record, final String name, final String parent, final long step)
    {
        final String payload = text(record, name);
        final String prefix = "{\"parent\":" + Json.quote(parent) + ",\"at\":" + step + ",\"reason\":";
        if (payload.startsWith(prefix) && payload.endsWith("}"))
        {
            final String literal = payload.substring(prefix.length(), payload.length() - 1);
            if ("null".equals(literal))
            {
                return null;
            }
            final String reason = Json.unquote(literal);
            if (reason != null && Json.quote(reason).equals(literal))
            {
                return reason;
            }
        }
        notes.add(name + " (its fork event's payload): not in the form Store.fork writes; the copy's fork event has no reason");
        return null;
    }

    /**
     * @return the payload as text, for the events the store writes itself from text; noted when it is not UTF-8.
     */
    private String text(final DirectBuffer record, final String name)
    {
        final byte[] bytes = new byte[header.payloadLength()];
        record.getBytes(HEADER_LENGTH + header.keyLength(), bytes);
        try
        {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        }
        catch (final CharacterCodingException ex)
        {
            notes.add(name + " (the payload of its " + EventKind.fromCode(header.kindCode()).wireName() +
                "): not UTF-8; copied with replacement characters");
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private String key(final DirectBuffer record)
    {
        return record.getStringWithoutLengthUtf8(HEADER_LENGTH, header.keyLength());
    }

    private static String describe(final Branch branch)
    {
        if (branch.writer != null)
        {
            return steps(branch.name, branch.firstDropped, branch.lastDropped) + " (" + count(branch.droppedEvents) + "): " +
                steps(branch.name, branch.missingFrom, branch.missingTo) +
                (branch.missingTo > branch.missingFrom ? " are" : " is") + " missing from the journal (damaged, or cut " +
                "off), and an event cannot change its step: the copy of " + branch.name + " has " +
                branch.writer.nextStep() + " steps";
        }
        final String dropped = branch.creator == null ? count(branch.droppedEvents) :
            "its " + branch.creator + (branch.droppedEvents > 1 ? " and " + count(branch.droppedEvents - 1) : "");
        return branch.name + " (" + dropped + "): " + branch.notCopied;
    }

    private static String steps(final String branch, final long from, final long to)
    {
        return branch + "@" + from + (to > from ? ".." + branch + "@" + to : "");
    }

    private static String count(final long events)
    {
        return events == 1 ? "1 event" : events + " events";
    }

    private static void list(final List<String> lines, final String line)
    {
        if (lines.size() < VerifyReport.MAX_LISTED)
        {
            lines.add(line);
        }
    }
}
