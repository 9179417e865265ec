package dev.forkline.kernel.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.TypedEvent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code session.start} event: which agent runs, with which model, which tools it may call, and tags to
 * select sessions by on export ({@code --tag K=V}).
 * <pre>{@code
 * BranchWriter session = store.startSession("task-42", SessionStart.of("my-agent").withModel("gpt-x")
 *     .withTool(lsSchemaJson).withTag("suite", "swe"));
 * }</pre>
 *
 * @param agent the agent's name; not blank.
 * @param model the model it calls, or null.
 * @param tools the tools' JSON schemas, in order: each a JSON object with a {@code "name"} (a bare function schema
 *              such as {@code {"name","description","parameters"}}) or a {@code "function"} holding one (the OpenAI
 *              {@code {"type":"function","function":{…}}} form); {@code "parameters"}, when present, a JSON object.
 *              Kept without white space between tokens, exactly as written otherwise. Exported as the examples'
 *              {@code tools}.
 * @param tags  tags, kept sorted by key.
 */
public record SessionStart(String agent, String model, List<String> tools, Map<String, String> tags) implements TypedEvent
{
    /**
     * Checks every field and copies the lists.
     *
     * @throws IllegalArgumentException naming the field that is wrong.
     */
    public SessionStart
    {
        if (agent == null || agent.isBlank())
        {
            throw new IllegalArgumentException("session.start agent must not be null or blank");
        }
        final List<String> checked = new ArrayList<>(tools == null ? 0 : tools.size());
        if (tools != null)
        {
            for (int i = 0; i < tools.size(); i++)
            {
                checked.add(checkTool(tools.get(i), "session.start tools[" + i + "]"));
            }
        }
        tools = List.copyOf(checked);
        final TreeMap<String, String> sorted = new TreeMap<>();
        if (tags != null)
        {
            for (final Map.Entry<String, String> tag : tags.entrySet())
            {
                if (tag.getKey() == null || tag.getKey().isEmpty() || tag.getValue() == null)
                {
                    throw new IllegalArgumentException("session.start tags need a key and a value: " + tag.getKey() + "=" + tag.getValue());
                }
                sorted.put(tag.getKey(), tag.getValue());
            }
        }
        tags = Collections.unmodifiableMap(sorted);
    }

    /**
     * @return a session start of {@code agent}, without model, tools or tags.
     */
    public static SessionStart of(final String agent)
    {
        return new SessionStart(agent, null, List.of(), Map.of());
    }

    /**
     * @return this with {@code model}.
     */
    public SessionStart withModel(final String model)
    {
        return new SessionStart(agent, model, tools, tags);
    }

    /**
     * @param schema one tool's JSON schema (see {@link #tools()}).
     * @return this with the tool added after the others.
     */
    public SessionStart withTool(final String schema)
    {
        final List<String> more = new ArrayList<>(tools);
        more.add(schema);
        return new SessionStart(agent, model, more, tags);
    }

    /**
     * @return this with the tag {@code key=value} (replacing one of the same key).
     */
    public SessionStart withTag(final String key, final String value)
    {
        final TreeMap<String, String> more = new TreeMap<>(tags);
        more.put(key, value);
        return new SessionStart(agent, model, tools, more);
    }

    @Override
    public EventKind kind()
    {
        return EventKind.SESSION_START;
    }

    /**
     * @return {@code {"agent","model","tools","tags"}}; no {@code model} when there is none.
     */
    @Override
    public String toJson()
    {
        return Payloads.sessionStart(this);
    }

    private static String checkTool(final String schema, final String field)
    {
        final String compact = JsonText.compactObject(schema, field);
        final JsonNode tool = CanonicalJson.parse(compact);
        final JsonNode function = tool.path("function").isObject() ? tool.get("function") : tool;
        final JsonNode name = function.get("name");
        if (name == null || !name.isTextual() || name.asText().isEmpty())
        {
            throw new IllegalArgumentException(field + " needs a \"name\" (or a \"function\" with one): " +
                CanonicalJson.excerpt(compact, 60));
        }
        final JsonNode parameters = function.get("parameters");
        if (parameters != null && !parameters.isObject())
        {
            throw new IllegalArgumentException(field + " \"parameters\" must be a JSON object (a JSON schema)");
        }
        return compact;
    }
}
