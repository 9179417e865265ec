package dev.forkline.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.EventKind;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads an OpenHands event array as one session.
 * <ul>
 * <li>A user message becomes {@code user}; an agent message {@code model.response}.</li>
 * <li>An action with {@code tool_call_metadata} becomes the {@code model.response} it came from (once per
 * model response, which may carry several calls), with its tool calls, model and usage.</li>
 * <li>An observation becomes the {@code tool.result} of the call its {@code cause} action made; one with
 * no call behind it becomes an {@code effect}.</li>
 * <li>A {@code finish} action ends the session with status {@code finished}.</li>
 * </ul>
 */
final class OpenHandsReader
{
    private OpenHandsReader()
    {
    }

    static void read(final String source, final JsonNode root, final String session, final ImportPlan plan)
    {
        if (root == null || !root.isArray())
        {
            throw new InputException(source + ": not a JSON array of OpenHands events");
        }
        final ObjectNode start = Json.object().put("agent", "openhands").put("model", model(root));
        start.putArray("tools");
        start.putObject("tags").put("source", "openhands").put("file", source);
        final ImportPlan.Draft draft = plan.draft(session, source, root.isEmpty() ? 0 : time(source, root.get(0)), start);

        final Map<Long, String> callOfAction = new HashMap<>();
        final Map<String, String> callNames = new HashMap<>();
        final Set<String> responses = new HashSet<>();
        boolean finished = false;
        for (final JsonNode event : root)
        {
            final String where = source + ": event " + event.path("id").asText("?");
            final long ts = time(source, event);
            final JsonNode metadata = event.get("tool_call_metadata");
            final String action = Json.text(event, "action");
            final String observation = Json.text(event, "observation");
            if (action != null)
            {
                final String eventSource = Json.text(event, "source");
                finished |= "finish".equals(action);
                if (metadata != null && metadata.isObject())
                {
                    final String callId = Json.text(metadata, "tool_call_id");
                    callOfAction.put(event.path("id").asLong(), callId);
                    final JsonNode response = metadata.path("model_response");
                    final String responseId = Json.text(response, "id");
                    if (responseId == null || responses.add(responseId))
                    {
                        draft.add(EventKind.MODEL_RESPONSE, ts, modelResponse(where, response, metadata, callNames));
                    }
                }
                else if ("message".equals(action) && "user".equals(eventSource))
                {
                    draft.add(EventKind.USER, ts, Json.object().put("content", Json.text(event.path("args"), "content")));
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
                    draft.add(EventKind.SYSTEM, ts, Json.object().put("content", Json.text(event.path("args"), "content")));
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
                final String content = Json.text(event, "content");
                if (callId != null)
                {
                    final String name = callNames.getOrDefault(callId, Json.text(metadata, "function_name"));
                    draft.add(EventKind.TOOL_RESULT, ts, Json.object().put("tool_call_id", callId).put("name", name)
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

    private static ObjectNode modelResponse(
        final String where, final JsonNode response, final JsonNode metadata, final Map<String, String> callNames)
    {
        final JsonNode message = response.path("choices").path(0).path("message");
        final ObjectNode out = Json.object().put("content", Json.content(message.get("content")));
        final ArrayNode calls = out.putArray("tool_calls");
        for (final JsonNode call : message.path("tool_calls"))
        {
            final String id = Json.text(call, "id");
            final String name = Json.text(call.path("function"), "name");
            if (id == null || name == null)
            {
                throw new InputException(where + ": a tool call needs \"id\" and \"function.name\"");
            }
            checkNewCall(where, id, callNames);
            final JsonNode arguments = call.path("function").get("arguments");
            calls.addObject().put("id", id).put("name", name)
                .put("arguments", arguments == null ? "{}" : arguments.isTextual() ? arguments.asText() : Json.write(arguments));
            callNames.put(id, name);
        }
        if (calls.isEmpty() && Json.text(metadata, "tool_call_id") != null)
        {
            final String id = Json.text(metadata, "tool_call_id");
            checkNewCall(where, id, callNames);
            calls.addObject().put("id", id).put("name", Json.text(metadata, "function_name")).put("arguments", "{}");
            callNames.put(id, Json.text(metadata, "function_name"));
        }
        out.put("model", Json.text(response, "model"));
        if (response.has("usage"))
        {
            out.set("usage", response.get("usage"));
        }
        return out;
    }

    private static void checkNewCall(final String where, final String id, final Map<String, String> callNames)
    {
        if (callNames.containsKey(id))
        {
            throw new InputException(where + ": tool call id '" + id + "' is used twice");
        }
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
}
