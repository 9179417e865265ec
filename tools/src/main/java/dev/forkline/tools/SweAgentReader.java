package dev.forkline.tools;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.EventKind;

import java.io.IOException;
import java.nio.file.Path;
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
 * <p>
 * The file is read twice with the streaming parser: first whole, skipping the history, to check it and to find the
 * model and the exit status (which come after the history); then a history message at a time. Memory holds one
 * message, not the file.
 */
final class SweAgentReader
{
    private SweAgentReader()
    {
    }

    /** What the {@code session.start} and the end of a session need, from the fields around the history. */
    private record Header(boolean history, String model, String status)
    {
    }

    static void read(final Path file, final String session, final long startNanos, final ImportSink sink,
        final ProgressBar progress) throws IOException
    {
        final String source = file.toString();
        final Header header = header(file, progress);
        if (!header.history())
        {
            throw new InputException(source + ": no \"history\" array (not a SWE-agent trajectory)");
        }
        final ObjectNode start = Json.object().put("agent", "swe-agent").put("model", header.model());
        start.putArray("tools");
        start.putObject("tags").put("source", "swe-agent").put("file", source);
        final ImportSink.Draft draft = sink.draft(session, source, startNanos, start);
        try (JsonDocument document = JsonDocument.read(file, progress))
        {
            if (document.toField("history"))
            {
                readHistory(source, document, draft);
            }
        }
        final String status = header.status();
        if (status != null)
        {
            draft.add(EventKind.OUTCOME, Json.object().putNull("reward").put("label", status));
        }
        draft.add(EventKind.SESSION_END, Json.object().put("status", status == null ? "unknown" : status));
    }

    /**
     * Reads the whole file, skipping the history, to check that it is JSON and to find what the session's first and
     * last events need (in the file, {@code info} and {@code replay_config} come after the history).
     */
    private static Header header(final Path file, final ProgressBar progress) throws IOException
    {
        boolean history = false;
        JsonNode replayConfig = null;
        String status = null;
        try (JsonDocument document = JsonDocument.read(file, progress))
        {
            final JsonToken root = document.next();
            if (root == JsonToken.START_OBJECT)
            {
                while (document.next() == JsonToken.FIELD_NAME)
                {
                    final String field = document.name();
                    final JsonToken value = document.next();
                    switch (field)
                    {
                        case "history" ->
                        {
                            history = value == JsonToken.START_ARRAY;
                            document.skip();
                        }
                        case "info" -> status = Json.text(document.tree(), "exit_status");
                        case "replay_config" -> replayConfig = document.tree();
                        default -> document.skip();
                    }
                }
            }
            else if (root != null)
            {
                document.skip();
            }
            document.end();
        }
        return new Header(history, model(replayConfig), status);
    }

    private static void readHistory(final String source, final JsonDocument history, final ImportSink.Draft draft)
        throws IOException
    {
        final ToolCallLedger ledger = new ToolCallLedger();
        final ArrayDeque<String> unanswered = new ArrayDeque<>();
        boolean unansweredDemo = false;
        for (int i = 0; history.next() != JsonToken.END_ARRAY; i++)
        {
            final JsonNode message = history.tree();
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
    }

    private static ObjectNode demo(final ObjectNode payload, final boolean demo)
    {
        return demo ? payload.put("demo", true) : payload;
    }

    private static ObjectNode result(final String id, final ToolCallLedger ledger, final String content)
    {
        return Json.object().put("tool_call_id", id).put("name", ledger.name(id)).put("content", content).put("error", false);
    }

    /**
     * @param replayConfig the {@code replay_config}: a JSON string, or an object; null when there is none.
     */
    private static String model(final JsonNode replayConfig)
    {
        final JsonNode parsed = replayConfig != null && replayConfig.isTextual() ? Json.parseOrNull(replayConfig.asText()) :
            replayConfig;
        final JsonNode name = parsed == null ? null : parsed.at("/agent/model/name");
        return name != null && name.isTextual() ? name.asText() : null;
    }
}
