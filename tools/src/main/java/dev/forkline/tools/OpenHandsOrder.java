package dev.forkline.tools;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.Arrays;
import java.util.BitSet;

/**
 * The order of an OpenHands event array, decided from small keys of each event rather than the events: its id, its
 * time, whether its cause is one it may have, and where it starts in the file (about 30 bytes an event). The events
 * are then read again, in the order of their ids, one at a time.
 * <p>
 * The checks and their messages are those of an array held whole: in the order of the array, the first entry
 * without a whole-number id, whose id an earlier entry has, or without a time; then, in the order of the ids, the
 * first event whose cause is not an earlier event or whose time is more than {@link OpenHandsReader#CLOCK_SLACK_NANOS}
 * before an earlier event's.
 */
final class OpenHandsOrder
{
    /**
     * Reads an event again, for the message about its cause.
     */
    interface Reader
    {
        JsonNode event(int entry) throws IOException;
    }

    private final String source;
    private long[] ids = new long[256];
    private long[] nanos = new long[256];
    private long[] offsets = new long[257];
    private final BitSet badCause = new BitSet();
    private int count;
    private boolean ascending = true;
    private InputException error; // at entry `count - 1` or `count`: the array is read no further
    private int errorEntry;
    private int[] byId; // entries in the order of their ids; null while that is the order of the array

    OpenHandsOrder(final String source)
    {
        this.source = source;
    }

    /**
     * Takes the keys of the next entry of the array, which starts at {@code offset} of the file. After an entry
     * that is refused, takes none.
     */
    void add(final JsonNode event, final long offset)
    {
        if (error != null)
        {
            return;
        }
        final int entry = count;
        final JsonNode id = event.get("id");
        if (id == null || !id.isIntegralNumber() || !id.canConvertToLong())
        {
            refuse(new InputException(source + ": entry " + entry + " of the array has no whole-number \"id\""), entry);
            return;
        }
        if (entry == ids.length)
        {
            ids = Arrays.copyOf(ids, entry * 2);
            nanos = Arrays.copyOf(nanos, entry * 2);
            offsets = Arrays.copyOf(offsets, entry * 2 + 1);
        }
        ids[entry] = id.asLong();
        offsets[entry] = offset;
        ascending &= entry == 0 || ids[entry] > ids[entry - 1];
        count++;
        try
        {
            nanos[entry] = OpenHandsReader.time(source, event);
        }
        catch (final InputException ex)
        {
            refuse(ex, entry); // its id is kept: an id twice is found first, as the array held whole had it
            return;
        }
        final JsonNode cause = event.get("cause");
        badCause.set(entry, cause != null && !cause.isNull() && (!cause.isIntegralNumber() || cause.asLong() >= ids[entry]));
    }

    /**
     * @param offset where the last entry ends.
     */
    void end(final long offset)
    {
        offsets[count] = offset;
    }

    /**
     * Checks the order of the events.
     *
     * @throws InputException naming the first entry refused, as described above.
     */
    void check(final Reader reader) throws IOException
    {
        if (!ascending)
        {
            byId = sortedById();
            for (int k = 1; k < count; k++)
            {
                if (ids[byId[k - 1]] == ids[byId[k]])
                {
                    duplicate(k);
                }
            }
        }
        if (error != null)
        {
            throw error;
        }
        long latest = Long.MIN_VALUE;
        int latestEntry = -1;
        for (int k = 0; k < count; k++)
        {
            final int entry = entry(k);
            if (badCause.get(entry))
            {
                throw new InputException(source + ": event " + ids[entry] + " (entry " + entry + "): its cause " +
                    reader.event(entry).get("cause") + " is not an earlier event");
            }
            if (latestEntry >= 0 && nanos[entry] < latest - OpenHandsReader.CLOCK_SLACK_NANOS)
            {
                throw new InputException(source + ": event " + ids[entry] + " (entry " + entry + ") has a timestamp " +
                    Timestamps.iso(nanos[entry]) + " before that of event " + ids[latestEntry] + " (" + Timestamps.iso(latest) +
                    "): its ids and timestamps disagree on the order of events");
            }
            if (nanos[entry] > latest)
            {
                latest = nanos[entry];
                latestEntry = entry;
            }
        }
    }

    /**
     * Notes the id that entries {@code byId[k - 1]} and {@code byId[k]} share (in the order of the array) unless an
     * entry before the second was refused already: the array held whole found the first such second entry.
     */
    private void duplicate(final int k)
    {
        final int first = byId[k - 1];
        final int second = byId[k];
        if (error == null || second <= errorEntry)
        {
            error = new InputException(source + ": event " + ids[second] + " comes twice (entries " + first + " and " + second + ")");
            errorEntry = second;
        }
    }

    /**
     * @return the number of events.
     */
    int size()
    {
        return count;
    }

    /**
     * @return whether the array is in the order of its ids (then it can be read again from its start).
     */
    boolean inArrayOrder()
    {
        return byId == null;
    }

    /**
     * @return the entry of the array that is {@code k}-th in the order of the ids.
     */
    int entry(final int k)
    {
        return byId == null ? k : byId[k];
    }

    long id(final int entry)
    {
        return ids[entry];
    }

    long nanos(final int entry)
    {
        return nanos[entry];
    }

    long offset(final int entry)
    {
        return offsets[entry];
    }

    /**
     * @return the bytes from the start of an entry to the start of the next (or the end of the last).
     */
    long span(final int entry)
    {
        return offsets[entry + 1] - offsets[entry];
    }

    /**
     * @return the bytes from the start of the first entry to the end of the last.
     */
    long spans()
    {
        return count == 0 ? 0 : offsets[count] - offsets[0];
    }

    private void refuse(final InputException ex, final int entry)
    {
        error = ex;
        errorEntry = entry;
    }

    /**
     * @return the entries sorted by id, entries of one id in the order of the array (a stable merge sort).
     */
    private int[] sortedById()
    {
        int[] from = new int[count];
        int[] to = new int[count];
        for (int i = 0; i < count; i++)
        {
            from[i] = i;
        }
        for (int width = 1; width < count; width *= 2)
        {
            for (int low = 0; low < count; low += 2 * width)
            {
                final int middle = Math.min(low + width, count);
                final int high = Math.min(low + 2 * width, count);
                int left = low;
                int right = middle;
                for (int out = low; out < high; out++)
                {
                    to[out] = right >= high || (left < middle && ids[from[left]] <= ids[from[right]]) ? from[left++] : from[right++];
                }
            }
            final int[] swap = from;
            from = to;
            to = swap;
        }
        return from;
    }
}
