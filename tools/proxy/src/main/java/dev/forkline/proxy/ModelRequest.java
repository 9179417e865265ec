package dev.forkline.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
    /** Fields whose content is the conversation, hashed in the proxy's form of its messages. */
    private static final List<String> MESSAGE_FIELDS = List.of("messages", "system");

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
     * @return the text whose request hash a replay checks: the upstream body with its messages in the proxy's
     * form ({@link Message}: role, text, tool calls, tool call id) and without its transport fields. So a recording
     * made without streaming replays to a streaming client and the other way round, and two SDKs that write the
     * same conversation with other optional fields ({@code refusal}, {@code annotations}, key order) hash alike.
     */
    String hashText(final ObjectNode upstreamBody)
    {
        final ObjectNode copy = upstreamBody.deepCopy();
        copy.remove(TRANSPORT_FIELDS);
        final List<Message> sent = upstreamBody == body ? messages : protocol.parse(upstreamBody).messages;
        copy.remove(MESSAGE_FIELDS);
        final ArrayNode out = copy.putArray("messages");
        for (final Message message : sent)
        {
            final ObjectNode entry = out.addObject().put("role", message.role()).put("content", message.content());
            if (!message.toolCalls().isEmpty())
            {
                final ArrayNode calls = entry.putArray("tool_calls");
                for (final ToolCall call : message.toolCalls())
                {
                    calls.addObject().put("id", call.id()).put("name", call.name())
                        .put("arguments", ProxyJson.canonicalOrSelf(call.arguments()));
                }
            }
            if (message.toolCallId() != null)
            {
                entry.put("tool_call_id", message.toolCallId()).put("error", message.error());
            }
        }
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
