package dev.forkline.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The tool calls of one session being imported, by id, so that each result is linked to the call it answers.
 * <p>
 * Agents reuse tool call ids across turns (ids are unique within a turn and its results, not within a file): a
 * result answers the latest call with its id. Within one turn an id must not come twice.
 */
final class ToolCallLedger
{
    private final Map<String, String> names = new HashMap<>(); // id -> the name of the latest call with it
    private final Set<String> turn = new HashSet<>();

    /**
     * Starts the calls of the next assistant turn.
     */
    void nextTurn()
    {
        turn.clear();
    }

    /**
     * Adds a call of the current turn to its {@code tool_calls}, with the arguments as a JSON string.
     *
     * @param where names the turn in an error.
     * @throws InputException when the call has no id or name, or the turn has a call with this id already.
     */
    void add(final String where, final ArrayNode calls, final String id, final String name, final JsonNode arguments)
    {
        if (id == null || name == null)
        {
            throw new InputException(where + ": a tool call needs \"id\" and \"function.name\"");
        }
        if (!turn.add(id))
        {
            throw new InputException(where + ": tool call id '" + id + "' comes twice in one turn");
        }
        names.put(id, name);
        calls.addObject().put("id", id).put("name", name).put("arguments",
            arguments == null || arguments.isNull() ? "{}" : arguments.isTextual() ? arguments.asText() : Json.write(arguments));
    }

    boolean knows(final String id)
    {
        return id != null && names.containsKey(id);
    }

    /**
     * @return the name of the latest call with this id, or null when there is none.
     */
    String name(final String id)
    {
        return id == null ? null : names.get(id);
    }
}
