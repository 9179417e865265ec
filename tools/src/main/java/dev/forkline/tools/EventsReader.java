package dev.forkline.tools;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the {@code events} interchange format a line at a time into an {@link ImportSink}, checking that it describes
 * sessions the store could have written: each session starts with {@code session.start} at step 0, each
 * event takes its branch's next step, a {@code fork} line names a known parent and a step within it.
 * {@code data} is kept as the exact text of the line, so that exporting gives the same bytes back.
 * <p>
 * A store names forks {@code <session>/1, /2, …} in creation order; forks named otherwise in the file
 * are renamed so.
 */
final class EventsReader
{
    private static final class Branch
    {
        final String name;
        final String session;
        final String source;
        long nextStep;

        Branch(final String name, final String session, final String source, final long nextStep)
        {
            this.name = name;
            this.session = session;
            this.source = source;
            this.nextStep = nextStep;
        }
    }

    private final ImportSink sink;
    private final Map<String, Branch> branches = new HashMap<>();
    private final Map<String, Integer> forks = new HashMap<>();
    private String source;

    EventsReader(final ImportSink sink)
    {
        this.sink = sink;
    }

    void read(final String source, final InputText in) throws IOException
    {
        this.source = source;
        while (in.next())
        {
            if (!in.isBlank())
            {
                readLine(source + ":" + in.lineNumber(), in);
            }
        }
    }

    private void readLine(final String where, final InputText line)
    {
        String session = null;
        String branch = null;
        long step = -1;
        String kindName = null;
        String ts = null;
        String data = null;
        byte[] binary = null;
        int flags = 0;
        long dataLength = 0;
        try (JsonDocument document = JsonDocument.line(where, line.bytes(), line.length()))
        {
            final JsonParser parser = document.parser();
            if (parser.nextToken() != JsonToken.START_OBJECT)
            {
                throw new InputException(where + ": not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME)
            {
                final String field = parser.currentName();
                final JsonToken value = parser.nextToken();
                switch (field)
                {
                    case "session" -> session = string(where, field, parser, value);
                    case "branch" -> branch = string(where, field, parser, value);
                    case "kind" -> kindName = string(where, field, parser, value);
                    case "ts" -> ts = string(where, field, parser, value);
                    case "step" ->
                    {
                        if (value != JsonToken.VALUE_NUMBER_INT || parser.getLongValue() < 0)
                        {
                            throw new InputException(where + ": \"step\" must be a whole number from 0");
                        }
                        step = parser.getLongValue();
                    }
                    case "flags" ->
                    {
                        if (value != JsonToken.VALUE_NUMBER_INT || parser.getLongValue() < 0 || parser.getLongValue() > Integer.MAX_VALUE)
                        {
                            throw new InputException(where + ": \"flags\" must be a whole number from 0");
                        }
                        flags = parser.getIntValue();
                    }
                    case "data_base64" ->
                    {
                        try
                        {
                            binary = java.util.Base64.getDecoder().decode(string(where, field, parser, value));
                        }
                        catch (final IllegalArgumentException ex)
                        {
                            throw new InputException(where + ": \"data_base64\" is not base64: " + ex.getMessage());
                        }
                    }
                    case "data" ->
                    {
                        // kept as its exact text, measured before it is made a string
                        final long start = document.tokenOffset();
                        parser.skipChildren();
                        parser.finishToken();
                        dataLength = document.offset() - start;
                        data = dataLength > Store.MAX_PAYLOAD_LENGTH ? "" : document.text(start, document.offset());
                    }
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null)
            {
                throw new InputException(where + ": text after the event object");
            }
        }
        catch (final JsonProcessingException ex)
        {
            throw Json.malformed(where, ex);
        }
        catch (final IOException ex)
        {
            throw new InputException(where + ": " + ex.getMessage());
        }
        if (session == null || branch == null || step < 0 || kindName == null || ts == null || (data == null) == (binary == null))
        {
            throw new InputException(where + ": an event needs \"session\", \"branch\", \"step\", \"kind\", \"ts\" and one of " +
                "\"data\" or \"data_base64\"");
        }
        final EventKind kind;
        final long timestampNanos;
        try
        {
            kind = EventKind.fromWireName(kindName);
            timestampNanos = Timestamps.parse(ts);
        }
        catch (final IllegalArgumentException | ArithmeticException ex)
        {
            throw new InputException(where + ": " + ex.getMessage());
        }
        if ((binary != null ? binary.length : dataLength) > Store.MAX_PAYLOAD_LENGTH)
        {
            throw new InputException(where + ": data is over the limit of " + Store.MAX_PAYLOAD_LENGTH + " bytes");
        }
        if (binary != null && (kind == EventKind.SESSION_START || kind == EventKind.FORK))
        {
            throw new InputException(where + ": a " + kindName + " event needs \"data\" (JSON), not \"data_base64\"");
        }
        switch (kind)
        {
            case SESSION_START -> start(where, session, branch, step, timestampNanos, data);
            case FORK -> fork(where, session, branch, step, timestampNanos, data);
            default ->
            {
                final Branch target = known(where, session, branch);
                if (step != target.nextStep)
                {
                    throw new InputException(where + ": step " + step + " of " + branch + " should be " + target.nextStep);
                }
                target.nextStep++;
                sink.append(target.name, kind, flags, timestampNanos, binary == null ? data : null, binary);
            }
        }
    }

    private void start(final String where, final String session, final String branch, final long step,
        final long timestampNanos, final String data)
    {
        if (!session.equals(branch) || step != 0)
        {
            throw new InputException(where + ": session.start must be step 0 of the branch named like the session");
        }
        final Branch existing = branches.get(branch);
        if (existing != null)
        {
            throw new InputException(where + ": session '" + session + "' " +
                (existing.source.equals(source) ? "starts twice" : "is in another file of this import too"));
        }
        checkSessionId(where, session);
        sink.addSession(session, where);
        branches.put(branch, new Branch(branch, session, source, 1));
        sink.start(session, timestampNanos, data);
    }

    private void fork(final String where, final String session, final String branch, final long step,
        final long timestampNanos, final String data)
    {
        final JsonNode fork;
        try
        {
            fork = Json.MAPPER.readTree(data);
        }
        catch (final JsonProcessingException ex)
        {
            throw new InputException(where + ": fork data is not JSON");
        }
        final String parentName = Json.text(fork, "parent");
        final JsonNode at = fork.get("at");
        final JsonNode reason = fork.get("reason");
        if (parentName == null || at == null || !at.canConvertToLong() || (reason != null && !reason.isNull() && !reason.isTextual()))
        {
            throw new InputException(where + ": fork data needs \"parent\" (a branch), \"at\" (a step) and an optional \"reason\" (text)");
        }
        if (at.asLong() != step)
        {
            throw new InputException(where + ": a fork line's step (" + step + ") must equal its \"at\" (" + at.asLong() + ")");
        }
        if (branches.containsKey(branch))
        {
            throw new InputException(where + ": branch " + branch + " is created twice");
        }
        final Branch parent = known(where, session, parentName);
        if (step > parent.nextStep)
        {
            throw new InputException(where + ": fork at step " + step + " is past the head of " + parentName + " (" +
                parent.nextStep + " steps)");
        }
        final int n = forks.merge(session, 1, Integer::sum);
        final String name = session + "/" + n;
        branches.put(branch, new Branch(name, session, source, step));
        sink.fork(name, parent.name, step, timestampNanos, reason == null || reason.isNull() ? null : reason.asText());
    }

    private Branch known(final String where, final String session, final String branch)
    {
        final Branch known = branches.get(branch);
        if (known == null)
        {
            throw new InputException(where + ": branch " + branch + " has no session.start or fork before this line");
        }
        if (!known.session.equals(session))
        {
            throw new InputException(where + ": branch " + branch + " belongs to session " + known.session + ", not " + session);
        }
        return known;
    }

    private static void checkSessionId(final String where, final String session)
    {
        if (!SessionNames.sanitise(session).equals(session) || session.length() > 128)
        {
            throw new InputException(where + ": session id '" + session + "' is not [A-Za-z0-9._:-]{1,128}");
        }
    }

    private static String string(final String where, final String field, final JsonParser parser, final JsonToken value)
        throws IOException
    {
        if (value != JsonToken.VALUE_STRING)
        {
            throw new InputException(where + ": \"" + field + "\" must be a string");
        }
        return parser.getText();
    }
}
