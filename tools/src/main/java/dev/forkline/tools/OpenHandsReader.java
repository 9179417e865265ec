package dev.forkline.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.EventKind;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
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
 */
final class OpenHandsReader
{
    /**
     * How far a timestamp may lie before an earlier event's: OpenHands takes the time just before it assigns the id,
     * so events added at once by two threads may be a little out of time order.
     */
    static final long CLOCK_SLACK_NANOS = 1_000_000_000L;

    private record Event(JsonNode json, long id, long nanos, int entry)
    {
    }

    private OpenHandsReader()
    {
    }

    static void read(final String source, final JsonNode root, final String session, final ImportPlan plan)
    {
        if (root == null || !root.isArray())
        {
            throw new InputException(source + ": not a JSON array of OpenHands events");
        }
        final List<Event> events = inOrder(source, root);
        final ObjectNode start = Json.object().put("agent", "openhands").put("model", model(root));
        start.set("tools", tools(root));
        start.putObject("tags").put("source", "openhands").put("file", source);
        final ImportPlan.Draft draft = plan.draft(session, source, events.isEmpty() ? 0 : events.get(0).nanos(), start);

        final Map<Long, String> callOfAction = new HashMap<>();
        final ToolCallLedger ledger = new ToolCallLedger();
        final Set<String> responses = new HashSet<>();
        JsonNode lastResponse = null;
        boolean finished = false;
        for (final Event entry : events)
        {
            final JsonNode event = entry.json();
            final String where = source + ": event " + entry.id();
            final long ts = entry.nanos();
            final JsonNode metadata = event.get("tool_call_metadata");
            final String action = Json.text(event, "action");
            final String observation = Json.text(event, "observation");
            if (action != null)
            {
                final String eventSource = Json.text(event, "source");
                finished |= "finish".equals(action);
                if (metadata != null && metadata.isObject())
                {
                    callOfAction.put(entry.id(), Json.text(metadata, "tool_call_id"));
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
        draft.add(EventKind.SESSION_END, Json.object().put("status", finished ? "finished" : "unknown"));
    }

    /**
     * @return the events in the order of their ids, checked to be a causal order.
     */
    private static List<Event> inOrder(final String source, final JsonNode root)
    {
        final List<Event> events = new ArrayList<>(root.size());
        final Map<Long, Integer> entries = new HashMap<>();
        for (int i = 0; i < root.size(); i++)
        {
            final JsonNode event = root.get(i);
            final JsonNode id = event.get("id");
            if (id == null || !id.isIntegralNumber() || !id.canConvertToLong())
            {
                throw new InputException(source + ": entry " + i + " of the array has no whole-number \"id\"");
            }
            final Integer before = entries.put(id.asLong(), i);
            if (before != null)
            {
                throw new InputException(source + ": event " + id.asLong() + " comes twice (entries " + before + " and " + i + ")");
            }
            events.add(new Event(event, id.asLong(), time(source, event), i));
        }
        events.sort(Comparator.comparingLong(Event::id));
        long latest = Long.MIN_VALUE;
        Event latestEvent = null;
        for (final Event event : events)
        {
            final JsonNode cause = event.json().get("cause");
            if (cause != null && !cause.isNull() && (!cause.isIntegralNumber() || cause.asLong() >= event.id()))
            {
                throw new InputException(source + ": event " + event.id() + " (entry " + event.entry() + "): its cause " + cause +
                    " is not an earlier event");
            }
            if (latestEvent != null && event.nanos() < latest - CLOCK_SLACK_NANOS)
            {
                throw new InputException(source + ": event " + event.id() + " (entry " + event.entry() + ") has a timestamp " +
                    Timestamps.iso(event.nanos()) + " before that of event " + latestEvent.id() + " (" + Timestamps.iso(latest) +
                    "): its ids and timestamps disagree on the order of events");
            }
            if (event.nanos() > latest)
            {
                latest = event.nanos();
                latestEvent = event;
            }
        }
        return events;
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

    private static long time(final String source, final JsonNode event)
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

    private static String model(final JsonNode root)
    {
        for (final JsonNode event : root)
        {
            final String model = Json.text(event.path("tool_call_metadata").path("model_response"), "model");
            if (model != null)
            {
                return model;
            }
        }
        return null;
    }

    /**
     * @return the tools of the first {@code system} action, or an empty list.
     */
    private static JsonNode tools(final JsonNode root)
    {
        for (final JsonNode event : root)
        {
            if ("system".equals(Json.text(event, "action")) && event.path("args").path("tools").isArray())
            {
                return event.path("args").path("tools");
            }
        }
        return Json.array();
    }
}
