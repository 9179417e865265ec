package dev.forkline.kernel.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Checks one output line against the rules of its format; fails the test with the line when a rule is broken.
 * <p>
 * Beyond the shape of each format, the rules that fine-tuning validators and loaders apply: message content is a
 * non-empty string (an assistant message with tool calls may have none); a tool message answers a call of the
 * assistant message just before it (only tool messages between), each call once; the tool call ids of a line are
 * unique; ShareGPT alternates human (or observation) and assistant (or function call) turns, starting with a
 * human turn and ending with an assistant one; and no training line holds a character some JSON Lines readers
 * split at (U+2028, U+2029, U+0085).
 */
public final class FormatRules
{
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");

    private FormatRules()
    {
    }

    /**
     * Checks every line; fails with the first line that breaks a rule.
     */
    public static void checkAll(final ExportFormat format, final List<String> lines)
    {
        for (final String line : lines)
        {
            try
            {
                check(format, line);
            }
            catch (final Exception | AssertionError ex)
            {
                throw new AssertionError(format.formatName() + " line breaks a rule: " + ex.getMessage() + "\n" + line, ex);
            }
        }
    }

    static void check(final ExportFormat format, final String line) throws Exception
    {
        for (final char c : new char[] {'\u2028', '\u2029', '\u0085'})
        {
            // events keep their payload as stored, to give the same bytes back
            assertTrue(format == ExportFormat.EVENTS || line.indexOf(c) < 0, "raw U+" + Integer.toHexString(c).toUpperCase() + " in the line");
        }
        final JsonNode node = MAPPER.readTree(line);
        assertTrue(node.isObject());
        switch (format)
        {
            case OPENAI_CHAT ->
            {
                keys(node, Set.of("messages"), Set.of("tools"));
                messages(node.get("messages"), true, false, true);
                openAiTools(node.get("tools"));
            }
            case TRL_MESSAGES ->
            {
                keys(node, Set.of("messages"), Set.of("tools"));
                messages(node.get("messages"), false, true, true);
                openAiTools(node.get("tools"));
            }
            case OPENAI_PREFERENCE ->
            {
                keys(node, Set.of("input", "preferred_output", "non_preferred_output"), Set.of());
                keys(node.get("input"), Set.of("messages"), Set.of("tools"));
                final Set<String> calls = messages(node.get("input").get("messages"), false, false, false);
                openAiTools(node.get("input").get("tools"));
                output(node.get("preferred_output"), calls, false);
                output(node.get("non_preferred_output"), calls, false);
            }
            case TRL_PREFERENCE ->
            {
                keys(node, Set.of("prompt", "chosen", "rejected"), Set.of("tools"));
                final Set<String> calls = messages(node.get("prompt"), false, true, false);
                output(node.get("chosen"), calls, true);
                output(node.get("rejected"), calls, true);
                openAiTools(node.get("tools"));
            }
            case SHAREGPT -> shareGpt(node);
            case EVENTS -> event(node);
        }
    }

    private static void keys(final JsonNode node, final Set<String> required, final Set<String> optional)
    {
        assertTrue(node.isObject(), "not an object");
        for (final String key : required)
        {
            assertTrue(node.has(key), "missing key " + key);
        }
        for (final Iterator<String> it = node.fieldNames(); it.hasNext(); )
        {
            final String key = it.next();
            assertTrue(required.contains(key) || optional.contains(key), "unexpected key " + key);
        }
    }

    /**
     * @return the ids of the tool calls in the list.
     */
    private static Set<String> messages(
        final JsonNode messages, final boolean weights, final boolean argumentsAsValue, final boolean needsAssistant)
        throws Exception
    {
        assertTrue(messages.isArray() && !messages.isEmpty(), "messages must be a non-empty array");
        final Set<String> calls = new HashSet<>();
        final Set<String> open = new HashSet<>();
        boolean assistant = false;
        for (final JsonNode message : messages)
        {
            final String role = message.path("role").asText();
            assertTrue(ROLES.contains(role), "bad role " + role);
            if (message.has("weight"))
            {
                assertTrue(weights, "weight in a format without weights");
                assertEquals("assistant", role, "weight only on assistant messages");
                assertTrue(message.get("weight").isInt() && message.get("weight").asInt() >= 0 &&
                    message.get("weight").asInt() <= 1, "weight must be 0 or 1");
            }
            if (role.equals("assistant"))
            {
                assistant = true;
                open.clear();
                open.addAll(assistantMessage(message, calls, argumentsAsValue));
                if (weights)
                {
                    assertTrue(message.has("weight"), "assistant message without weight");
                }
            }
            else
            {
                assertTrue(message.path("content").isTextual() && !message.get("content").asText().isEmpty(),
                    role + " content must be a non-empty string");
                assertFalse(message.has("tool_calls"), "tool_calls on a " + role + " message");
            }
            if (role.equals("tool"))
            {
                final String id = message.path("tool_call_id").asText(null);
                assertNotNull(id, "tool message without tool_call_id");
                assertTrue(calls.contains(id), "tool_call_id " + id + " refers to no earlier call");
                assertTrue(open.remove(id), "tool_call_id " + id + " answers no call of the assistant message just " +
                    "before it (or answers it twice)");
            }
            else if (!role.equals("assistant"))
            {
                open.clear();
            }
        }
        if (needsAssistant)
        {
            assertTrue(assistant, "no assistant message");
        }
        return calls;
    }

    /**
     * Checks an assistant message and adds its call ids to {@code calls}, which must not hold them yet.
     *
     * @return the ids of its calls.
     */
    private static Set<String> assistantMessage(final JsonNode message, final Set<String> calls, final boolean argumentsAsValue)
        throws Exception
    {
        final JsonNode content = message.get("content");
        final JsonNode toolCalls = message.get("tool_calls");
        if (toolCalls == null)
        {
            assertTrue(content != null && content.isTextual() && !content.asText().isEmpty(),
                "assistant content must be a non-empty string when there are no tool calls");
            return Set.of();
        }
        assertTrue(content == null || content.isNull() || content.isTextual(), "assistant content must be a string or null");
        assertTrue(toolCalls.isArray() && !toolCalls.isEmpty(), "tool_calls must be a non-empty array");
        final Set<String> own = new HashSet<>();
        for (final JsonNode call : toolCalls)
        {
            assertTrue(call.path("id").isTextual() && !call.get("id").asText().isEmpty(), "tool call without id");
            assertEquals("function", call.path("type").asText());
            assertTrue(call.path("function").path("name").isTextual(), "tool call without name");
            final JsonNode arguments = call.path("function").get("arguments");
            assertNotNull(arguments, "tool call without arguments");
            if (argumentsAsValue)
            {
                assertFalse(arguments.isMissingNode());
            }
            else
            {
                assertTrue(arguments.isTextual(), "arguments must be a JSON string");
                MAPPER.readTree(arguments.asText()); // throws unless it parses
            }
            final String id = call.get("id").asText();
            assertTrue(calls.add(id), "tool call id " + id + " is used twice in the line");
            own.add(id);
        }
        return own;
    }

    private static void output(final JsonNode output, final Set<String> calls, final boolean argumentsAsValue)
        throws Exception
    {
        assertTrue(output.isArray() && output.size() == 1, "output must be a list of one message");
        assertEquals("assistant", output.get(0).path("role").asText());
        assertFalse(output.get(0).has("weight"));
        assistantMessage(output.get(0), new HashSet<>(calls), argumentsAsValue);
    }

    private static void openAiTools(final JsonNode tools)
    {
        if (tools == null)
        {
            return;
        }
        assertTrue(tools.isArray() && !tools.isEmpty(), "tools must be a non-empty array");
        for (final JsonNode tool : tools)
        {
            assertEquals("function", tool.path("type").asText());
            assertTrue(tool.path("function").path("name").isTextual(), "tool without a function name");
        }
    }

    private static void shareGpt(final JsonNode node) throws Exception
    {
        keys(node, Set.of("conversations"), Set.of("system", "tools"));
        final JsonNode conversations = node.get("conversations");
        assertTrue(conversations.isArray() && !conversations.isEmpty());
        final List<Set<String>> sides = List.of(Set.of("human", "observation"), Set.of("gpt", "function_call"));
        boolean gpt = false;
        int index = 0;
        for (final JsonNode turn : conversations)
        {
            keys(turn, Set.of("from", "value"), Set.of());
            assertTrue(sides.get(index % 2).contains(turn.get("from").asText()), "turn " + index + " is " + turn.get("from") +
                ": turns alternate " + sides.get(0) + " and " + sides.get(1) + ", starting with the first");
            index++;
            assertTrue(turn.get("value").isTextual() && !turn.get("value").asText().isEmpty(), "value must be a non-empty string");
            if (turn.get("from").asText().equals("function_call"))
            {
                final JsonNode call = MAPPER.readTree(turn.get("value").asText());
                for (final JsonNode one : call.isArray() ? call : MAPPER.createArrayNode().add(call))
                {
                    assertTrue(one.path("name").isTextual(), "function_call without name");
                    assertTrue(one.has("arguments"), "function_call without arguments");
                }
            }
            gpt |= turn.get("from").asText().equals("gpt") || turn.get("from").asText().equals("function_call");
        }
        assertTrue(gpt, "no gpt turn");
        assertEquals(0, conversations.size() % 2, "the conversation ends with an assistant turn");
        if (node.has("system"))
        {
            assertTrue(node.get("system").isTextual());
        }
        if (node.has("tools"))
        {
            assertTrue(node.get("tools").isTextual());
            assertTrue(MAPPER.readTree(node.get("tools").asText()).isArray(), "tools must be a JSON list in a string");
        }
    }

    private static void event(final JsonNode node)
    {
        final List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        final List<String> expected = new ArrayList<>(List.of("session", "branch", "step", "kind", "ts"));
        if (node.has("flags"))
        {
            expected.add("flags");
            assertNotEquals(0, node.get("flags").asInt(), "flags only when non-zero");
        }
        expected.add(node.has("data") ? "data" : "data_base64");
        assertEquals(expected, keys, "keys and their order");
        assertTrue(node.get("step").canConvertToLong() && node.get("step").asLong() >= 0);
        assertTrue(node.get("branch").asText().startsWith(node.get("session").asText()));
        dev.forkline.kernel.EventKind.fromWireName(node.get("kind").asText());
        Instant.parse(node.get("ts").asText());
        if (node.has("data_base64"))
        {
            Base64.getDecoder().decode(node.get("data_base64").asText());
        }
    }
}
