package dev.forkline.junit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;

import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Loads a recording in the {@code events} format into a store, checking each line as it goes: a session
 * starts with {@code session.start} at step 0, every event takes its branch's next step, a {@code fork} line
 * names a branch read before. {@code data} goes into the store as the exact text of the line.
 * <p>
 * Design note: the command line's importer checks more (every format, names clashing with a store's, base64
 * payloads) but lives in the command-line module; a test extension should not bring the command line with it,
 * so this reader is the small part a recording needs, on the kernel's public API.
 */
final class EventsFile
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String source;
    private final Store store;
    private final Map<String, BranchWriter> writers = new HashMap<>();
    private final Set<String> sessions = new LinkedHashSet<>();

    private EventsFile(final String source, final Store store)
    {
        this.source = source;
        this.store = store;
    }

    /**
     * @return the sessions loaded, in the order of the file.
     * @throws IllegalArgumentException naming the file and line of the first malformed line.
     */
    static Set<String> load(final String source, final String text, final Store store)
    {
        final EventsFile file = new EventsFile(source, store);
        final String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++)
        {
            final String line = lines[i].strip();
            if (!line.isEmpty())
            {
                file.line(source + ":" + (i + 1), line);
            }
        }
        store.commit();
        return file.sessions;
    }

    private void line(final String where, final String line)
    {
        String session = null;
        String branch = null;
        long step = -1;
        String kind = null;
        String ts = null;
        String data = null;
        int flags = 0;
        try (JsonParser parser = MAPPER.getFactory().createParser(line))
        {
            if (parser.nextToken() != JsonToken.START_OBJECT)
            {
                throw new IllegalArgumentException(where + ": not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME)
            {
                final String field = parser.currentName();
                parser.nextToken();
                switch (field)
                {
                    case "session" -> session = parser.getValueAsString();
                    case "branch" -> branch = parser.getValueAsString();
                    case "kind" -> kind = parser.getValueAsString();
                    case "ts" -> ts = parser.getValueAsString();
                    case "step" -> step = parser.getValueAsLong(-1);
                    case "flags" -> flags = parser.getValueAsInt(0);
                    case "data" ->
                    {
                        final int start = (int)parser.currentTokenLocation().getCharOffset();
                        parser.skipChildren();
                        data = line.substring(start, (int)parser.currentLocation().getCharOffset());
                    }
                    case "data_base64" -> throw new IllegalArgumentException(where + ": a recording holds JSON payloads, not data_base64");
                    default -> parser.skipChildren();
                }
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(where + ": not JSON: " + ex.getMessage(), ex);
        }
        if (session == null || branch == null || step < 0 || kind == null || ts == null || data == null)
        {
            throw new IllegalArgumentException(where + ": an event needs \"session\", \"branch\", \"step\", \"kind\", \"ts\" and \"data\"");
        }
        final long nanos;
        final EventKind eventKind;
        try
        {
            final Instant instant = Instant.parse(ts);
            nanos = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
            eventKind = EventKind.fromWireName(kind);
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalArgumentException(where + ": " + ex.getMessage(), ex);
        }
        append(where, session, branch, step, eventKind, nanos, flags, data);
    }

    private void append(final String where, final String session, final String branch, final long step, final EventKind kind,
        final long nanos, final int flags, final String data)
    {
        if (kind == EventKind.SESSION_START)
        {
            if (!session.equals(branch) || step != 0 || writers.containsKey(branch))
            {
                throw new IllegalArgumentException(where + ": session.start must be step 0 of a new branch named like its session");
            }
            writers.put(branch, store.startSession(session, data, nanos));
            sessions.add(session);
            return;
        }
        if (kind == EventKind.FORK)
        {
            final JsonNode fork = json(where, data);
            final BranchWriter parent = writers.get(fork.path("parent").asText(""));
            if (parent == null || fork.path("at").asLong(-1) != step || writers.containsKey(branch))
            {
                throw new IllegalArgumentException(where + ": a fork needs a parent read before, \"at\" equal to its step, and a new branch");
            }
            final BranchWriter child = store.fork(parent.branch(), step, fork.path("reason").isTextual() ? fork.get("reason").asText() : null, nanos);
            if (!child.branch().equals(branch))
            {
                throw new IllegalArgumentException(where + ": fork " + branch + " should be named " + child.branch() + " (forks are numbered in order)");
            }
            writers.put(branch, child);
            return;
        }
        final BranchWriter writer = writers.get(branch);
        if (writer == null)
        {
            throw new IllegalArgumentException(where + ": branch " + branch + " has no session.start or fork before this line");
        }
        if (step != writer.nextStep())
        {
            throw new IllegalArgumentException(where + ": step " + step + " of " + branch + " should be " + writer.nextStep());
        }
        writer.append(kind, flags, nanos, data);
    }

    private static JsonNode json(final String where, final String data)
    {
        try
        {
            return MAPPER.readTree(data);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(where + ": fork data is not JSON");
        }
    }
}
