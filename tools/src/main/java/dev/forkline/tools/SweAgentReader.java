package dev.forkline.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.EventKind;

import java.util.ArrayDeque;

/**
 * Reads a SWE-agent {@code .traj} (all three generations) as one session from its {@code history}.
 * <ul>
 * <li>Assistant messages become {@code model.response}; their {@code tool_calls} are kept, and an older
 * message with only an {@code action} gets one call, {@code {"command": action}}, named after the
 * action's first word.</li>
 * <li>Tool messages become {@code tool.result} linked through {@code tool_call_ids} to the latest call with that
 * id (ids may come again in later turns); in the oldest generation the user message that answers an action is
 * its result.</li>
 * <li>Demonstrations ({@code is_demo}) are kept, flagged {@code "demo": true}: a demonstration's observation
 * answers only a demonstration's action, so the task's first message after them stays a user message.</li>
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

        final ToolCallLedger ledger = new ToolCallLedger();
        final ArrayDeque<String> unanswered = new ArrayDeque<>();
        boolean unansweredDemo = false;
        for (int i = 0; i < history.size(); i++)
        {
            final JsonNode message = history.get(i);
            final String where = source + ": history[" + i + "]";
            final String role = Json.text(message, "role");
            if (role == null)
            {
                throw new InputException(where + ": no \"role\"");
            }
            final boolean demo = message.path("is_demo").asBoolean(false);
            switch (role)
            {
                case "system" -> draft.add(EventKind.SYSTEM,
                    demo(Json.object().put("content", Json.contentOrEmpty(message.get("content"))), demo));
                case "user" ->
                {
                    final String content = Json.contentOrEmpty(message.get("content"));
                    if (!unanswered.isEmpty() && demo == unansweredDemo)
                    {
                        draft.add(EventKind.TOOL_RESULT, demo(result(unanswered.removeFirst(), ledger, content), demo));
                    }
                    else
                    {
                        unanswered.clear();
                        draft.add(EventKind.USER, demo(Json.object().put("content", content), demo));
                    }
                }
                case "assistant" ->
                {
                    final ObjectNode response = Json.object().put("content", Json.content(message.get("content")));
                    final ArrayNode calls = response.putArray("tool_calls");
                    ledger.nextTurn();
                    unanswered.clear();
                    unansweredDemo = demo;
                    for (final JsonNode call : message.path("tool_calls"))
                    {
                        final String id = Json.text(call, "id");
                        ledger.add(where, calls, id, Json.text(call.path("function"), "name"), call.path("function").get("arguments"));
                        unanswered.add(id);
                    }
                    final String action = Json.text(message, "action");
                    if (calls.isEmpty() && action != null && !action.isBlank())
                    {
                        final String id = "swe-" + i;
                        ledger.add(where, calls, id, action.strip().split("\\s+", 2)[0],
                            Json.object().put("command", action));
                        unanswered.add(id);
                    }
                    draft.add(EventKind.MODEL_RESPONSE, demo(response, demo));
                }
                case "tool" ->
                {
                    final JsonNode ids = message.path("tool_call_ids");
                    String id = ids.isArray() && ids.size() > 0 ? ids.get(0).asText() : Json.text(message, "tool_call_id");
                    if (id == null)
                    {
                        id = unanswered.peekFirst();
                    }
                    if (!ledger.knows(id))
                    {
                        throw new InputException(where + ": tool message answers no known tool call (" + id + ")");
                    }
                    unanswered.remove(id);
                    draft.add(EventKind.TOOL_RESULT, demo(result(id, ledger, Json.contentOrEmpty(message.get("content"))), demo));
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

    private static ObjectNode demo(final ObjectNode payload, final boolean demo)
    {
        return demo ? payload.put("demo", true) : payload;
    }

    private static ObjectNode result(final String id, final ToolCallLedger ledger, final String content)
    {
        return Json.object().put("tool_call_id", id).put("name", ledger.name(id)).put("content", content).put("error", false);
    }

    private static String model(final JsonNode root)
    {
        final String config = Json.text(root, "replay_config");
        final JsonNode parsed = config == null ? root.get("replay_config") : Json.parseOrNull(config);
        final JsonNode name = parsed == null ? null : parsed.at("/agent/model/name");
        return name != null && name.isTextual() ? name.asText() : null;
    }
}
