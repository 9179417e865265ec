package dev.forkline.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.function.Consumer;

/**
 * One line per exchange: a JSON object ({@code --json}) or a short text.
 * <p>
 * Threading: safe from any thread; lines never interleave.
 */
final class ExchangeLog
{
    private final Consumer<String> sink;
    private final boolean json;

    ExchangeLog(final Consumer<String> sink, final boolean json)
    {
        this.sink = sink;
        this.json = json;
    }

    /**
     * @return a new entry with its time.
     */
    ObjectNode entry(final String event)
    {
        return ProxyJson.object().put("time", Instant.now().toString()).put("event", event);
    }

    void write(final ObjectNode entry)
    {
        if (sink == null)
        {
            return;
        }
        final String line = json ? ProxyJson.write(entry) : text(entry);
        synchronized (this)
        {
            sink.accept(line);
        }
    }

    private static String text(final ObjectNode entry)
    {
        final StringBuilder out = new StringBuilder(120);
        final String time = entry.path("time").asText();
        out.append(time.length() >= 23 ? time.substring(11, 23) : time);
        append(out, entry, "event");
        append(out, entry, "mode");
        append(out, entry, "protocol");
        if (entry.hasNonNull("branch"))
        {
            out.append(' ').append(entry.get("branch").asText());
            if (entry.hasNonNull("step"))
            {
                out.append('@').append(entry.get("step").asLong());
            }
        }
        append(out, entry, "status");
        if (entry.has("millis"))
        {
            out.append(' ').append(entry.get("millis").asLong()).append(" ms");
        }
        append(out, entry, "model");
        if (entry.path("tool_calls").asInt(0) > 0)
        {
            out.append(" → ").append(entry.get("tool_calls").asInt()).append(" tool call(s)");
        }
        final JsonNode divergence = entry.get("divergence");
        if (divergence != null)
        {
            out.append(" diverged at step ").append(divergence.path("step").asLong())
                .append(" (").append(divergence.path("change").asText()).append(')');
        }
        if (entry.hasNonNull("forked"))
        {
            out.append(" forked into ").append(entry.get("forked").asText());
        }
        if (entry.hasNonNull("error"))
        {
            out.append(": ").append(entry.get("error").asText());
        }
        return out.toString();
    }

    private static void append(final StringBuilder out, final ObjectNode entry, final String field)
    {
        if (entry.hasNonNull(field))
        {
            out.append(' ').append(entry.get(field).asText());
        }
    }
}
