package dev.forkline.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.EventKind;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a SWE-agent {@code .traj} (all three generations) as one session from its {@code history}.
 * <ul>
 * <li>Assistant messages become {@code model.response}; their {@code tool_calls} are kept, and an older
 * message with only an {@code action} gets one call, {@code {"command": action}}, named after the
 * action's first word.</li>
 * <li>Tool messages become {@code tool.result} linked through {@code tool_call_ids}; in the oldest
 * generation the user message that answers an action is its result.</li>
 * <li>{@code info.exit_status} becomes an {@code outcome} (label; the reward is unknown, null) and the
 * {@code session.end} status.</li>
 * </ul>
 * The file has no times: events are one microsecond apart from the time of the import.
 */
final class SweAgentReader
{
    private SweAgentReader()
    {
    }

    static void read(final String source, final JsonNode root, final String session, final long startNanos, final ImportPlan plan)
    {
        final JsonNode history = root == null ? null : root.get("history");
        if (history == null || !history.isArray())
        {
            throw new InputException(source + ": no \"history\" array (not a SWE-agent trajectory)");
        }
        final ObjectNode start = Json.object().put("agent", "swe-agent").put("model", model(root));
        start.putArray("tools");
        start.putObject("tags").put("source", "swe-agent").put("file", source);
        final ImportPlan.Draft draft = plan.draft(session, source, startNanos, start);

        final Map<String, String> callNames = new HashMap<>();
        final ArrayDeque<String> unanswered = new ArrayDeque<>();
        for (int i = 0; i < history.size(); i++)
        {
            final JsonNode message = history.get(i);
            final String where = source + ": history[" + i + "]";
            final String role = Json.text(message, "role");
            if (role == null)
            {
                throw new InputException(where + ": no \"role\"");
            }
            final String content = Json.content(message.get("content"));
            switch (role)
            {
                case "system" -> draft.add(EventKind.SYSTEM, Json.object().put("content", content));
                case "user" ->
                {
                    if (!unanswered.isEmpty() && !message.path("is_demo").asBoolean(false))
                    {
                        draft.add(EventKind.TOOL_RESULT, result(unanswered.removeFirst(), callNames, content));
                    }
                    else
                    {
                        draft.add(EventKind.USER, Json.object().put("content", content));
                    }
                }
                case "assistant" ->
                {
                    final ObjectNode response = Json.object().put("content", content);
                    final ArrayNode calls = response.putArray("tool_calls");
                    unanswered.clear();
                    for (final JsonNode call : message.path("tool_calls"))
                    {
                        final JsonNode function = call.path("function");
                        final JsonNode arguments = function.get("arguments");
                        final String id = Json.text(call, "id");
                        final String name = Json.text(function, "name");
                        if (id == null || name == null)
                        {
                            throw new InputException(where + ": a tool call needs \"id\" and \"function.name\"");
                        }
                        if (callNames.containsKey(id))
                        {
                            throw new InputException(where + ": tool call id '" + id + "' is used twice");
                        }
                        calls.addObject().put("id", id).put("name", name)
                            .put("arguments", arguments == null ? "{}" : arguments.isTextual() ? arguments.asText() : Json.write(arguments));
                        callNames.put(id, name);
                        unanswered.add(id);
                    }
                    final String action = Json.text(message, "action");
                    if (calls.isEmpty() && action != null && !action.isBlank())
                    {
                        final String id = "swe-" + i;
                        if (callNames.containsKey(id))
                        {
                            throw new InputException(where + ": tool call id '" + id + "' is used twice");
                        }
                        final String name = action.strip().split("\\s+", 2)[0];
                        calls.addObject().put("id", id).put("name", name)
                            .put("arguments", Json.write(Json.object().put("command", action)));
                        callNames.put(id, name);
                        unanswered.add(id);
                    }
                    draft.add(EventKind.MODEL_RESPONSE, response);
                }
                case "tool" ->
                {
                    final JsonNode ids = message.path("tool_call_ids");
                    String id = ids.isArray() && ids.size() > 0 ? ids.get(0).asText() : Json.text(message, "tool_call_id");
                    if (id == null)
                    {
                        id = unanswered.peekFirst();
                    }
                    if (id == null || !callNames.containsKey(id))
                    {
                        throw new InputException(where + ": tool message answers no known tool call (" + id + ")");
                    }
                    unanswered.remove(id);
                    draft.add(EventKind.TOOL_RESULT, result(id, callNames, content));
                }
                default -> throw new InputException(where + ": unknown role '" + role + "'");
            }
        }
        final String status = Json.text(root.path("info"), "exit_status");
        if (status != null)
        {
            draft.add(EventKind.OUTCOME, Json.object().putNull("reward").put("label", status));
        }
        draft.add(EventKind.SESSION_END, Json.object().put("status", status == null ? "unknown" : status));
    }

    private static ObjectNode result(final String id, final Map<String, String> callNames, final String content)
    {
        return Json.object().put("tool_call_id", id).put("name", callNames.get(id)).put("content", content).put("error", false);
    }

    private static String model(final JsonNode root)
    {
        final String config = Json.text(root, "replay_config");
        final JsonNode parsed = config == null ? root.get("replay_config") : Json.parseOrNull(config);
        final JsonNode name = parsed == null ? null : parsed.at("/agent/model/name");
        return name != null && name.isTextual() ? name.asText() : null;
    }
}
