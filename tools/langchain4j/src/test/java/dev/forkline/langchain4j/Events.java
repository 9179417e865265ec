package dev.forkline.langchain4j;

import dev.forkline.kernel.EventCursor;
import dev.forkline.kernel.Store;

import java.util.ArrayList;
import java.util.List;

/**
 * A branch's events as {@code "<step> <kind> <payload>"} lines, for assertions.
 */
final class Events
{
    private Events()
    {
    }

    static List<String> of(final Store store, final String branch)
    {
        final List<String> out = new ArrayList<>();
        try (EventCursor cursor = store.read(branch))
        {
            while (cursor.next())
            {
                out.add(cursor.event().step() + " " + cursor.event().kind().wireName() + " " + cursor.event().payloadAsString());
            }
        }
        return out;
    }

    static long stepOf(final Store store, final String branch, final String kindAndText)
    {
        for (final String line : of(store, branch))
        {
            if (line.contains(kindAndText))
            {
                return Long.parseLong(line.substring(0, line.indexOf(' ')));
            }
        }
        throw new AssertionError("no event with " + kindAndText + " in " + of(store, branch));
    }
}
