package dev.forkline.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.replay.RequestHash;
import dev.forkline.kernel.replay.ToolCall;
import dev.forkline.kernel.replay.ToolResult;

import java.util.List;
import java.util.Map;

/**
 * A model request as a client sent it, and what the proxy reads from it.
 */
final class ModelRequest
{
    /** Fields that choose how a response is delivered, not what it says; left out of the request hash. */
    private static final List<String> TRANSPORT_FIELDS = List.of("stream", "stream_options");

    final Protocol protocol;
    final ObjectNode body;
    final List<Message> messages;
    final String model;
    final JsonNode tools;
    final boolean stream;
    final boolean includeUsage;

    ModelRequest(
        final Protocol protocol,
        final ObjectNode body,
        final List<Message> messages,
        final String model,
        final JsonNode tools,
        final boolean stream,
        final boolean includeUsage)
    {
        this.protocol = protocol;
        this.body = body;
        this.messages = List.copyOf(messages);
        this.model = model;
        this.tools = tools;
        this.stream = stream;
        this.includeUsage = includeUsage;
    }

    /**
     * @return the body sent upstream: the client's, with the tool results of a fork's override put in.
     */
    ObjectNode upstreamBody(final Map<String, ToolResult> substitutions)
    {
        if (substitutions.isEmpty())
        {
            return body;
        }
        final ObjectNode copy = body.deepCopy();
        protocol.substitute(copy, substitutions);
        return copy;
    }

    /**
     * @return the text whose request hash a replay checks: the upstream body less its transport fields, so that a
     * recording made without streaming replays to a streaming client and the other way round.
     */
    static String hashText(final ObjectNode upstreamBody)
    {
        final ObjectNode copy = upstreamBody.deepCopy();
        copy.remove(TRANSPORT_FIELDS);
        return ProxyJson.write(copy);
    }

    /**
     * @return the request hash of a {@link #hashText}: the one place the proxy computes one itself (the recorder
     * computes those of model calls).
     */
    static String requestHash(final String hashText)
    {
        return RequestHash.of(hashText);
    }

    /**
     * @return the tool call that the assistant messages of this request made with {@code id}, or null.
     */
    ToolCall toolCall(final String id)
    {
        for (int i = messages.size() - 1; i >= 0; i--)
        {
            for (final ToolCall call : messages.get(i).toolCalls())
            {
                if (id != null && id.equals(call.id()))
                {
                    return call;
                }
            }
        }
        return null;
    }
}
