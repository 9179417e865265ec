package dev.forkline.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.replay.ModelTurn;
import dev.forkline.kernel.replay.ToolCall;
import dev.forkline.kernel.replay.ToolResult;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Anthropic Messages: {@code POST /v1/messages}, whole or streamed ({@code message_start},
 * {@code content_block_start/delta/stop}, {@code message_delta}, {@code message_stop}), with {@code tool_use}
 * and {@code tool_result} blocks. A user message's {@code tool_result} blocks become tool messages, in order,
 * before the user text that follows them.
 */
final class AnthropicMessages implements Protocol
{
    static final AnthropicMessages INSTANCE = new AnthropicMessages();

    private AnthropicMessages()
    {
    }

    @Override
    public String name()
    {
        return "anthropic.messages";
    }

    @Override
    public ModelRequest parse(final ObjectNode body)
    {
        final JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray())
        {
            throw new IllegalArgumentException("a messages request needs \"messages\", an array");
        }
        final List<Message> out = new ArrayList<>(messages.size() + 1);
        final JsonNode system = body.get("system");
        if (system != null && !system.isNull())
        {
            out.add(Message.text(Message.SYSTEM, ProxyJson.textParts(system)));
        }
        int index = 0;
        for (final JsonNode message : messages)
        {
            final String role = message.path("role").asText("");
            final JsonNode content = message.get("content");
            if ("assistant".equals(role))
            {
                out.add(assistant(content));
            }
            else if ("user".equals(role))
            {
                user(content, out);
            }
            else
            {
                throw new IllegalArgumentException("messages[" + index + "].role must be \"user\" or \"assistant\"");
            }
            index++;
        }
        return new ModelRequest(this, body, out, ProxyJson.text(body, "model"), body.get("tools"),
            body.path("stream").asBoolean(false), false);
    }

    private static Message assistant(final JsonNode content)
    {
        if (content == null || !content.isArray())
        {
            return Message.assistant(content == null || content.isNull() ? null : ProxyJson.textParts(content), List.of());
        }
        final StringBuilder text = new StringBuilder();
        final List<ToolCall> calls = new ArrayList<>();
        for (final JsonNode block : content)
        {
            switch (block.path("type").asText())
            {
                case "text" -> text.append(block.path("text").asText());
                case "tool_use" -> calls.add(new ToolCall(ProxyJson.text(block, "id"), block.path("name").asText(""),
                    block.has("input") ? ProxyJson.write(block.get("input")) : "{}"));
                default ->
                {
                    // thinking and other blocks are not part of the turn the kernel records
                }
            }
        }
        return Message.assistant(text.length() == 0 ? null : text.toString(), calls);
    }

    private static void user(final JsonNode content, final List<Message> out)
    {
        if (content == null || !content.isArray())
        {
            out.add(Message.text(Message.USER, content == null || content.isNull() ? null : ProxyJson.textParts(content)));
            return;
        }
        final ArrayNode rest = ProxyJson.NODES.arrayNode();
        for (final JsonNode block : content)
        {
            if ("tool_result".equals(block.path("type").asText()))
            {
                final JsonNode result = block.get("content");
                out.add(Message.toolResult(ProxyJson.text(block, "tool_use_id"),
                    result == null || result.isNull() ? "" : ProxyJson.textParts(result), block.path("is_error").asBoolean(false)));
            }
            else
            {
                rest.add(block);
            }
        }
        if (!rest.isEmpty())
        {
            out.add(Message.text(Message.USER, ProxyJson.textParts(rest)));
        }
    }

    @Override
    public ModelTurn turn(final JsonNode response)
    {
        final JsonNode content = response.get("content");
        if (content == null || !content.isArray())
        {
            throw new IllegalArgumentException("the response has no \"content\" array");
        }
        final Message message = assistant(content);
        final JsonNode usage = response.get("usage");
        return new ModelTurn(message.content(), message.toolCalls(), ProxyJson.text(response, "model"),
            usage == null || usage.isNull() ? null : ProxyJson.write(usage), ProxyJson.text(response, "stop_reason"), null);
    }

    @Override
    public StreamTurn streamTurn()
    {
        return new Events();
    }

    @Override
    public byte[] response(final ModelTurn turn, final Served served)
    {
        final ObjectNode out = message(turn, served);
        final ArrayNode content = out.putArray("content");
        if (turn.content() != null)
        {
            content.addObject().put("type", "text").put("text", turn.content());
        }
        for (final ToolCall call : turn.toolCalls())
        {
            content.addObject().put("type", "tool_use").put("id", call.id()).put("name", call.name())
                .set("input", input(call));
        }
        out.put("stop_reason", stopReason(turn));
        out.putNull("stop_sequence");
        out.set("usage", usage(turn));
        return ProxyJson.bytes(out);
    }

    @Override
    public void stream(final ModelTurn turn, final Served served, final SseOut out) throws IOException
    {
        final ObjectNode start = ProxyJson.object().put("type", "message_start");
        final ObjectNode message = message(turn, served);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", usage(turn));
        start.set("message", message);
        out.event("message_start", ProxyJson.write(start));
        int index = 0;
        if (turn.content() != null)
        {
            final ObjectNode block = ProxyJson.object().put("type", "text").put("text", "");
            final ObjectNode delta = ProxyJson.object().put("type", "text_delta").put("text", turn.content());
            block(out, index++, block, delta);
        }
        for (final ToolCall call : turn.toolCalls())
        {
            final ObjectNode block = ProxyJson.object().put("type", "tool_use").put("id", call.id()).put("name", call.name());
            block.putObject("input");
            final ObjectNode delta = ProxyJson.object().put("type", "input_json_delta")
                .put("partial_json", ProxyJson.write(input(call)));
            block(out, index++, block, delta);
        }
        final ObjectNode end = ProxyJson.object().put("type", "message_delta");
        end.putObject("delta").put("stop_reason", stopReason(turn)).putNull("stop_sequence");
        end.putObject("usage").put("output_tokens", usage(turn).path("output_tokens").asLong(0));
        out.event("message_delta", ProxyJson.write(end));
        out.event("message_stop", "{\"type\":\"message_stop\"}");
    }

    private static void block(final SseOut out, final int index, final ObjectNode block, final ObjectNode delta) throws IOException
    {
        final ObjectNode start = ProxyJson.object().put("type", "content_block_start").put("index", index);
        start.set("content_block", block);
        out.event("content_block_start", ProxyJson.write(start));
        final ObjectNode change = ProxyJson.object().put("type", "content_block_delta").put("index", index);
        change.set("delta", delta);
        out.event("content_block_delta", ProxyJson.write(change));
        out.event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
    }

    private static ObjectNode message(final ModelTurn turn, final Served served)
    {
        final ObjectNode out = ProxyJson.object();
        out.put("id", served.id());
        out.put("type", "message");
        out.put("role", "assistant");
        out.put("model", turn.model());
        return out;
    }

    private static JsonNode input(final ToolCall call)
    {
        try
        {
            final JsonNode input = ProxyJson.parse(call.arguments());
            return input.isObject() ? input : ProxyJson.object().set("value", input);
        }
        catch (final IllegalArgumentException ex)
        {
            return ProxyJson.object().put("value", call.arguments());
        }
    }

    private static JsonNode usage(final ModelTurn turn)
    {
        if (turn.usage() != null)
        {
            final JsonNode usage = ProxyJson.parse(turn.usage());
            if (usage.isObject() && usage.has("input_tokens"))
            {
                return usage;
            }
        }
        return ProxyJson.object().put("input_tokens", 0).put("output_tokens", 0);
    }

    /**
     * Design note: the kernel's model turn keeps no stop reason, so a served one is derived from the turn, and a
     * response cut at {@code max_tokens} replays as {@code end_turn}.
     */
    /**
     * @return the recorded stop reason; for a turn recorded without one, derived from the turn.
     */
    private static String stopReason(final ModelTurn turn)
    {
        if (turn.finishReason() != null)
        {
            return turn.finishReason();
        }
        return turn.hasToolCalls() ? "tool_use" : "end_turn";
    }

    @Override
    public void substitute(final ObjectNode body, final Map<String, ToolResult> results)
    {
        for (final JsonNode message : body.path("messages"))
        {
            for (final JsonNode block : message.path("content"))
            {
                final String id = ProxyJson.text(block, "tool_use_id");
                if ("tool_result".equals(block.path("type").asText()) && id != null && results.containsKey(id))
                {
                    final ToolResult result = results.get(id);
                    ((ObjectNode)block).put("content", result.content()).put("is_error", result.error());
                }
            }
        }
    }

    @Override
    public byte[] error(final String type, final String message, final ObjectNode details)
    {
        final ObjectNode out = ProxyJson.object().put("type", "error");
        final ObjectNode error = out.putObject("error");
        error.put("type", type);
        error.put("message", message);
        if (details != null)
        {
            error.setAll(details);
        }
        return ProxyJson.bytes(out);
    }

    @Override
    public byte[] models(final List<String> ids)
    {
        final ObjectNode out = ProxyJson.object();
        final ArrayNode data = out.putArray("data");
        for (final String id : ids)
        {
            data.addObject().put("type", "model").put("id", id).put("display_name", id).put("created_at", "1970-01-01T00:00:00Z");
        }
        out.put("has_more", false);
        out.put("first_id", ids.isEmpty() ? null : ids.get(0));
        out.put("last_id", ids.isEmpty() ? null : ids.get(ids.size() - 1));
        return ProxyJson.bytes(out);
    }

    /**
     * Accumulates a message stream: text and tool use blocks by index, the model, and the usage of
     * {@code message_start} updated by {@code message_delta}.
     */
    private static final class Events implements StreamTurn
    {
        private final List<Object[]> blocks = new ArrayList<>();
        private ObjectNode usage;
        private String model;
        private String stopReason;
        private String error;
        private boolean done;

        @Override
        public void event(final String event, final String data)
        {
            final JsonNode node;
            try
            {
                node = ProxyJson.parse(data);
            }
            catch (final IllegalArgumentException ex)
            {
                error = "a stream event is not JSON";
                return;
            }
            final String type = node.path("type").asText(event == null ? "" : event);
            switch (type)
            {
                case "message_start" ->
                {
                    final JsonNode message = node.path("message");
                    model = ProxyJson.text(message, "model");
                    if (message.path("usage").isObject())
                    {
                        usage = ((ObjectNode)message.get("usage")).deepCopy();
                    }
                }
                case "content_block_start" ->
                {
                    final int index = node.path("index").asInt(blocks.size());
                    while (blocks.size() <= index)
                    {
                        blocks.add(new Object[] {null, null, null, new StringBuilder()});
                    }
                    final JsonNode block = node.path("content_block");
                    final Object[] entry = blocks.get(index);
                    entry[0] = block.path("type").asText();
                    entry[1] = ProxyJson.text(block, "id");
                    entry[2] = ProxyJson.text(block, "name");
                    if (block.path("text").isTextual())
                    {
                        ((StringBuilder)entry[3]).append(block.get("text").asText());
                    }
                }
                case "content_block_delta" ->
                {
                    final int index = node.path("index").asInt(-1);
                    if (index < 0 || index >= blocks.size())
                    {
                        error = "a content_block_delta for a block that did not start";
                        return;
                    }
                    final JsonNode delta = node.path("delta");
                    final StringBuilder text = (StringBuilder)blocks.get(index)[3];
                    switch (delta.path("type").asText())
                    {
                        case "text_delta" -> text.append(delta.path("text").asText());
                        case "input_json_delta" -> text.append(delta.path("partial_json").asText());
                        default ->
                        {
                            // thinking and signature deltas are not part of the recorded turn
                        }
                    }
                }
                case "message_delta" ->
                {
                    if (node.path("delta").path("stop_reason").isTextual())
                    {
                        stopReason = node.get("delta").get("stop_reason").asText();
                    }
                    if (node.path("usage").isObject())
                    {
                        if (usage == null)
                        {
                            usage = ProxyJson.object();
                        }
                        usage.setAll((ObjectNode)node.get("usage"));
                    }
                }
                case "message_stop" -> done = true;
                case "error" -> error = ProxyJson.write(node.path("error"));
                default ->
                {
                    // ping, content_block_stop
                }
            }
        }

        @Override
        public boolean complete()
        {
            return done;
        }

        @Override
        public ModelTurn turn()
        {
            if (!done || error != null)
            {
                return null;
            }
            final StringBuilder content = new StringBuilder();
            final List<ToolCall> calls = new ArrayList<>();
            for (final Object[] block : blocks)
            {
                if ("text".equals(block[0]))
                {
                    content.append(block[3]);
                }
                else if ("tool_use".equals(block[0]))
                {
                    final String input = block[3].toString();
                    calls.add(new ToolCall((String)block[1], block[2] == null ? "" : (String)block[2],
                        ProxyJson.canonicalOrSelf(input.isEmpty() ? "{}" : input)));
                }
            }
            return new ModelTurn(content.length() == 0 ? null : content.toString(), calls, model,
                usage == null ? null : ProxyJson.write(usage), stopReason, null);
        }

        @Override
        public String error()
        {
            return error;
        }
    }
}
