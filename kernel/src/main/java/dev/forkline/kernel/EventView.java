package dev.forkline.kernel;

import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

import static dev.forkline.kernel.EventHeaderDescriptor.HEADER_LENGTH;

/**
 * A zero-copy view of one stored event, valid until the {@link EventCursor} that produced it moves on
 * or closes. Call {@link #toEvent()} to keep a copy.
 */
public final class EventView
{
    private final BranchTable branches;
    private final UnsafeBuffer record = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer payload = new UnsafeBuffer(0, 0);
    private final EventHeader header = new EventHeader();
    private final JournalBounds bounds = new JournalBounds();
    private long location;

    EventView(final BranchTable branches)
    {
        this.branches = branches;
    }

    /**
     * Points the view at the excerpt {@code dc} is reading, in place.
     *
     * @return null when the record is a sound event, else what is wrong with it.
     */
    String wrap(final DocumentContext dc, final long location)
    {
        this.location = location;
        final int length = Journal.wrap(record, dc, bounds);
        header.wrap(record, 0);
        if (length < 0)
        {
            return bounds.problem();
        }
        final long address = record.addressOffset();
        final String problem = header.validate(length);
        if (problem == null)
        {
            payload.wrap(address + HEADER_LENGTH + header.keyLength(), header.payloadLength());
        }
        return problem;
    }

    /**
     * Points the view at a record that is not an event (a damaged batch record), so that it names no branch.
     */
    void clear(final long location)
    {
        this.location = location;
        record.wrap(0, 0);
        header.wrap(record, 0);
    }

    /**
     * @return what the event records.
     */
    public EventKind kind()
    {
        return EventKind.fromCode(header.kindCode());
    }

    /**
     * @return the event's step in its branch; a {@code fork} event carries its fork step.
     */
    public long step()
    {
        return header.step();
    }

    /**
     * @return when the event was appended (or, for an imported event, recorded), in nanoseconds since the epoch.
     */
    public long timestampNanos()
    {
        return header.timestampNanos();
    }

    /**
     * @return the event's flags, see {@link EventFlags} (the store's own bit that marks the events of a batch left
     * out).
     */
    public int flags()
    {
        return header.flags() & ~BatchRecordDescriptor.EVENT_FLAG;
    }

    /**
     * @return the flags as stored.
     */
    int storedFlags()
    {
        return header.flags();
    }

    /**
     * @return the branch that wrote this event; for the shared prefix of a fork, an ancestor of the branch
     * being read.
     */
    public String branch()
    {
        final BranchState branch = branches.byId(header.branchId());
        return branch == null ? null : branch.name;
    }

    /**
     * @return the session the event belongs to.
     */
    public String session()
    {
        final BranchState branch = branches.byId(header.branchId());
        return branch == null ? null : branch.session;
    }

    /**
     * @return the payload, in place; valid as long as this view.
     */
    public DirectBuffer payload()
    {
        return payload;
    }

    /**
     * @return the payload length in bytes.
     */
    public int payloadLength()
    {
        return header.payloadLength();
    }

    /**
     * @return the payload decoded as UTF-8 (a JSON text for every kind Forkline writes itself).
     */
    public String payloadAsString()
    {
        return payload.getStringWithoutLengthUtf8(0, payload.capacity());
    }

    /**
     * @return a copy of the payload.
     */
    public byte[] payloadBytes()
    {
        final byte[] bytes = new byte[payload.capacity()];
        payload.getBytes(0, bytes);
        return bytes;
    }

    /**
     * @return an owned copy of the event.
     */
    public Event toEvent()
    {
        return new Event(session(), branch(), step(), kind(), timestampNanos(), flags(), payloadBytes());
    }

    /**
     * @return the event's journal index (roll cycle and sequence), as {@code forkline verify} reports it.
     */
    public long journalIndex()
    {
        return location;
    }

    int branchId()
    {
        return header.branchId();
    }

    /**
     * @return the branch name of an event that creates a branch, else the empty string.
     */
    String key()
    {
        return record.getStringWithoutLengthUtf8(HEADER_LENGTH, header.keyLength());
    }

    /**
     * @return the branch id in the header when the record is long enough to have one, else -1.
     */
    /**
     * @return null when the sound event in view is step {@code step} of branch {@code owner}, else what it is
     * instead (an index that points at the wrong record).
     */
    String expect(final BranchState owner, final long step)
    {
        if (header.branchId() == owner.id && header.step() == step && header.kindCode() != EventKind.FORK.code())
        {
            return null;
        }
        final BranchState other = branches.byId(header.branchId());
        return "the index points at another event (" + (other == null ? "branch id " + header.branchId() : other.name) +
            "@" + header.step() + " " + kind().wireName() + ")";
    }

    int branchIdIfPresent()
    {
        return record.capacity() >= EventHeaderDescriptor.HEADER_LENGTH ? header.branchId() : -1;
    }

    @Override
    public String toString()
    {
        return branch() + "@" + step() + " " + kind().wireName() + " " +
            new String(payloadBytes(), 0, Math.min(payloadLength(), 80), StandardCharsets.UTF_8);
    }
}
