package dev.forkline.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forkline.kernel.EventKind;

/**
 * One readable line per event: step, kind, time and a short excerpt of what it says, with ANSI colours
 * when asked for.
 */
final class EventText
{
    static final int EXCERPT_LENGTH = 100;
    private static final String RESET = "\033[0m";
    private static final String DIM = "\033[2m";

    private final boolean colour;

    EventText(final boolean colour)
    {
        this.colour = colour;
    }

    /**
     * @param label what goes before the kind: a step number, or {@code branch@step}.
     * @param shared true for a step a fork shares with its parent (drawn dim).
     */
    String line(final String label, final EventKind kind, final long timestampNanos, final String payload, final boolean shared)
    {
        final StringBuilder line = new StringBuilder(160);
        if (shared)
        {
            paint(line, DIM, label);
        }
        else
        {
            line.append(label);
        }
        line.append("  ");
        final String kindName = kind == null ? "?" : kind.wireName();
        paint(line, colourOf(kind), String.format("%-14s", kindName));
        line.append(' ');
        paint(line, DIM, Timestamps.clock(timestampNanos));
        line.append("  ").append(excerpt(kind, payload));
        return line.toString();
    }

    void paint(final StringBuilder line, final String ansi, final String text)
    {
        if (colour)
        {
            line.append(ansi).append(text).append(RESET);
        }
        else
        {
            line.append(text);
        }
    }

    /**
     * @return what the event says, on one line of at most {@link #EXCERPT_LENGTH} characters.
     */
    static String excerpt(final EventKind kind, final String payload)
    {
        final JsonNode data = Json.parseOrNull(payload);
        final String text = data == null || kind == null ? payload : describe(kind, data);
        return shorten(text);
    }

    static String shorten(final String text)
    {
        final String flat = Terminal.escape(text.replace("\r\n", "\n").replace("\n", "⏎").replace('\t', ' '));
        return flat.length() <= EXCERPT_LENGTH ? flat : flat.substring(0, EXCERPT_LENGTH - 1) + "…";
    }

    private static String describe(final EventKind kind, final JsonNode data)
    {
        switch (kind)
        {
            case SESSION_START:
                return "agent=" + Json.text(data, "agent") + " model=" + Json.text(data, "model");
            case SYSTEM:
            case USER:
                return quoteOrNull(Json.content(data.get("content")));
            case MODEL_RESPONSE:
                return modelResponse(data);
            case TOOL_RESULT:
                return (data.path("error").asBoolean(false) ? "ERROR " : "") + Json.text(data, "name") + " → " +
                    quoteOrNull(Json.content(data.get("content")));
            case CLOCK:
            case RANDOM:
                return data.path("value").asText();
            case EFFECT:
                return Json.text(data, "name") + " → " + Json.write(data.path("response"));
            case OUTCOME:
                return outcome(data);
            case ANNOTATION:
                return "step " + data.path("step").asText() + " " + Json.text(data, "label") +
                    (data.hasNonNull("note") ? ": " + Json.text(data, "note") : "");
            case FORK:
                return "from " + Json.text(data, "parent") + "@" + data.path("at").asText() +
                    (data.hasNonNull("reason") ? " (" + Json.text(data, "reason") + ")" : "");
            case SESSION_END:
                return "status=" + Json.text(data, "status");
            default:
                return Json.write(data);
        }
    }

    /**
     * @return {@code label reward=r} of an outcome payload, or the payload itself when it is not one.
     */
    static String outcome(final JsonNode data)
    {
        if (data == null || !data.isObject())
        {
            return data == null ? "" : Json.write(data);
        }
        final String label = Json.text(data, "label");
        final JsonNode reward = data.get("reward");
        return (label == null ? "" : label) + (reward == null || reward.isNull() ? "" : (label == null ? "" : " ") +
            "reward=" + reward.asText());
    }

    private static String modelResponse(final JsonNode data)
    {
        final StringBuilder text = new StringBuilder();
        final String content = Json.content(data.get("content"));
        if (content != null && !content.isEmpty())
        {
            text.append('"').append(content.strip()).append('"');
        }
        for (final JsonNode call : data.path("tool_calls"))
        {
            final JsonNode function = call.has("function") ? call.get("function") : call;
            final JsonNode arguments = function.get("arguments");
            text.append(text.length() == 0 ? "" : " ").append("→ ").append(Json.text(function, "name")).append('(')
                .append(arguments == null ? "" : arguments.isTextual() ? arguments.asText() : Json.write(arguments))
                .append(')');
        }
        return text.toString();
    }

    private static String quoteOrNull(final String text)
    {
        return text == null ? "null" : '"' + text.strip() + '"';
    }

    private static String colourOf(final EventKind kind)
    {
        if (kind == null)
        {
            return "\033[31m";
        }
        return switch (kind)
        {
            case SESSION_START, SESSION_END -> "\033[1m";
            case USER, SYSTEM -> "\033[36m";
            case MODEL_RESPONSE -> "\033[32m";
            case TOOL_RESULT -> "\033[33m";
            case OUTCOME, ANNOTATION -> "\033[35m";
            case FORK -> "\033[34m";
            default -> "";
        };
    }
}
