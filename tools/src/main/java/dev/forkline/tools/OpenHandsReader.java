package dev.forkline.tools;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.EventKind;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads an OpenHands event array as one session, in the order of the events' ids (the order OpenHands gave them,
 * whatever the order of the array).
 * <ul>
 * <li>A {@code system} action becomes {@code system}, and its {@code tools} the session's tools.</li>
 * <li>A user message becomes {@code user}; an agent message {@code model.response}.</li>
 * <li>An action with {@code tool_call_metadata} becomes the {@code model.response} it came from (once per
 * model response, which may carry several calls), with its tool calls, model and usage.</li>
 * <li>An observation becomes the {@code tool.result} of the call its {@code cause} action made; one with
 * no call behind it becomes an {@code effect}.</li>
 * <li>A {@code finish} action ends the session with status {@code finished}.</li>
 * </ul>
 * Refused: an event without a whole-number id, an id that comes twice, a cause that is not an earlier event, and a
 * timestamp more than {@link #CLOCK_SLACK_NANOS} before that of an earlier event (the ids and the times disagree
 * on the order, as in a file whose ids were rewritten).
 * <p>
 * The file is read twice with the streaming parser, an event at a time, so that memory does not grow with it: first to
 * check it and to decide the order from small keys of each event ({@link OpenHandsOrder}); then the events again in
 * the order of their ids, from the start when the array is in that order, else each at its place in the file.
 */
final class OpenHandsReader
{
    /**
     * How far a timestamp may lie before an earlier event's: OpenHands takes the time just before it assigns the id,
     * so events added at once by two threads may be a little out of time order.
     */
    static final long CLOCK_SLACK_NANOS = 1_000_000_000L;

    /** What the first reading found: the order, and what the {@code session.start} needs. */
    private record Scan(OpenHandsOrder order, String model, JsonNode tools)
    {
    }

    private OpenHandsReader()
    {
    }

    static void read(final Path file, final String session, final ImportSink sink, final ProgressBar progress)
        throws IOException
    {
        final String source = file.toString();
        final Scan scan = scan(file, progress);
        final OpenHandsOrder order = scan.order();
        final ObjectNode start = Json.object().put("agent", "openhands").put("model", scan.model());
        start.set("tools", scan.tools() == null ? Json.array() : scan.tools());
        start.putObject("tags").put("source", "openhands").put("file", source);
        final ImportSink.Draft draft = sink.draft(session, source, order.size() == 0 ? 0 : order.nanos(order.entry(0)), start);
        final Conversion conversion = new Conversion(source, draft);
        if (order.inArrayOrder())
        {
            try (JsonDocument document = JsonDocument.read(file, progress))
            {
                document.next();
                for (int entry = 0; document.next() != JsonToken.END_ARRAY; entry++)
                {
                    if (entry == order.size())
                    {
                        throw new InputException(source + ": the file changed while it was imported");
                    }
                    conversion.add(document.tree(), order.id(entry), order.nanos(entry));
                }
            }
        }
        else
        {
            try (SeekableByteChannel channel = Files.newByteChannel(file))
            {
                for (int k = 0; k < order.size(); k++)
                {
                    final int entry = order.entry(k);
                    conversion.add(eventAt(source, channel, order, entry), order.id(entry), order.nanos(entry));
                    progress.advance(order.span(entry));
                }
                progress.advance(Math.max(0, channel.size() - order.spans()));
            }
        }
        draft.add(EventKind.SESSION_END, Json.object().put("status", conversion.finished ? "finished" : "unknown"));
    }

    /**
     * Reads the whole array, an event at a time, to check it and to find the order of the events, the model (the
     * first an event names) and the tools (of the first {@code system} action with tools).
     */
    private static Scan scan(final Path file, final ProgressBar progress) throws IOException
    {
        final String source = file.toString();
        final OpenHandsOrder order = new OpenHandsOrder(source);
        String model = null;
        JsonNode tools = null;
        try (JsonDocument document = JsonDocument.read(file, progress))
        {
            final JsonToken root = document.next();
            if (root != JsonToken.START_ARRAY)
            {
                if (root != null)
                {
                    document.skip();
                }
                document.end();
                throw new InputException(source + ": not a JSON array of OpenHands events");
            }
            while (document.next() != JsonToken.END_ARRAY)
            {
                final long offset = document.tokenOffset();
                final JsonNode event = document.tree();
                order.add(event, offset);
                if (model == null)
                {
                    model = Json.text(event.path("tool_call_metadata").path("model_response"), "model");
                }
                if (tools == null && "system".equals(Json.text(event, "action")) && event.path("args").path("tools").isArray())
                {
                    tools = event.path("args").path("tools");
                }
            }
            order.end(document.offset());
            document.end();
        }
        try (SeekableByteChannel channel = Files.newByteChannel(file))
        {
            order.check(entry -> eventAt(source, channel, order, entry));
        }
        return new Scan(order, model, tools);
    }

    private static JsonNode eventAt(final String source, final SeekableByteChannel channel, final OpenHandsOrder order,
        final int entry) throws IOException
    {
        try (JsonDocument document = JsonDocument.at(source + ": entry " + entry, channel, order.offset(entry)))
        {
            document.next();
            return document.tree();
        }
    }

    /**
     * Turns events, given in the order of their ids, into the session's events.
     */
    private static final class Conversion
    {
        private final String source;
        private final ImportSink.Draft draft;
        private final Map<Long, String> callOfAction = new HashMap<>();
        private final ToolCallLedger ledger = new ToolCallLedger();
        private final Set<String> responses = new HashSet<>();
        private JsonNode lastResponse;
        private boolean finished;

        Conversion(final String source, final ImportSink.Draft draft)
        {
            this.source = source;
            this.draft = draft;
        }

        void add(final JsonNode event, final long id, final long ts)
        {
            final String where = source + ": event " + id;
            final JsonNode metadata = event.get("tool_call_metadata");
            final String action = Json.text(event, "action");
            final String observation = Json.text(event, "observation");
            if (action != null)
            {
                final String eventSource = Json.text(event, "source");
                finished |= "finish".equals(action);
                if (metadata != null && metadata.isObject())
                {
                    callOfAction.put(id, Json.text(metadata, "tool_call_id"));
                    final JsonNode response = metadata.path("model_response");
                    final String responseId = Json.text(response, "id");
                    // the actions of one model response carry it each; without an id, the same response twice in a row
                    if (responseId != null ? responses.add(responseId) : !response.equals(lastResponse))
                    {
                        draft.add(EventKind.MODEL_RESPONSE, ts, modelResponse(where, response, metadata, ledger));
                    }
                    lastResponse = response;
                }
                else if ("message".equals(action) && "user".equals(eventSource))
                {
                    draft.add(EventKind.USER, ts, Json.object().put("content", Json.contentOrEmpty(event.path("args").get("content"))));
                }
                else if ("message".equals(action) || "finish".equals(action))
                {
                    final String content = "message".equals(action) ? Json.text(event.path("args"), "content") : Json.text(event, "message");
                    final ObjectNode response = Json.object().put("content", content);
                    response.putArray("tool_calls");
                    draft.add(EventKind.MODEL_RESPONSE, ts, response);
                }
                else if ("system".equals(action))
                {
                    draft.add(EventKind.SYSTEM, ts, Json.object().put("content", Json.contentOrEmpty(event.path("args").get("content"))));
                }
                else
                {
                    final ObjectNode effect = Json.object().put("name", action);
                    effect.set("request", event.path("args"));
                    effect.putNull("response");
                    draft.add(EventKind.EFFECT, ts, effect);
                }
            }
            else if (observation != null)
            {
                String callId = metadata == null ? null : Json.text(metadata, "tool_call_id");
                if (callId == null && event.has("cause"))
                {
                    callId = callOfAction.get(event.get("cause").asLong());
                }
                final String content = Json.contentOrEmpty(event.get("content"));
                if (ledger.knows(callId))
                {
                    draft.add(EventKind.TOOL_RESULT, ts, Json.object().put("tool_call_id", callId).put("name", ledger.name(callId))
                        .put("content", content).put("error", "error".equals(observation)));
                }
                else
                {
                    final ObjectNode effect = Json.object().put("name", observation);
                    effect.set("request", event.has("cause") ? event.get("cause") : effect.nullNode());
                    effect.put("response", content);
                    draft.add(EventKind.EFFECT, ts, effect);
                }
            }
            else
            {
                throw new InputException(where + ": neither an action nor an observation");
            }
        }
    }

    private static ObjectNode modelResponse(
        final String where, final JsonNode response, final JsonNode metadata, final ToolCallLedger ledger)
    {
        final JsonNode message = response.path("choices").path(0).path("message");
        final ObjectNode out = Json.object().put("content", Json.content(message.get("content")));
        final ArrayNode calls = out.putArray("tool_calls");
        ledger.nextTurn();
        for (final JsonNode call : message.path("tool_calls"))
        {
            ledger.add(where, calls, Json.text(call, "id"), Json.text(call.path("function"), "name"),
                call.path("function").get("arguments"));
        }
        if (calls.isEmpty() && Json.text(metadata, "tool_call_id") != null)
        {
            ledger.add(where, calls, Json.text(metadata, "tool_call_id"), Json.text(metadata, "function_name"), null);
        }
        out.put("model", Json.text(response, "model"));
        if (response.has("usage"))
        {
            out.set("usage", response.get("usage"));
        }
        return out;
    }

    static long time(final String source, final JsonNode event)
    {
        final String text = Json.text(event, "timestamp");
        if (text == null)
        {
            throw new InputException(source + ": event " + event.path("id").asText("?") + " has no \"timestamp\"");
        }
        try
        {
            return Timestamps.parse(text);
        }
        catch (final IllegalArgumentException | ArithmeticException ex)
        {
            throw new InputException(source + ": event " + event.path("id").asText("?") + ": " + ex.getMessage());
        }
    }
}
