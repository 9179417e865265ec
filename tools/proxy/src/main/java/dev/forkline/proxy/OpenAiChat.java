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
 * OpenAI Chat Completions: {@code POST /v1/chat/completions}, whole or streamed ({@code data:} chunks ending
 * with {@code [DONE]}), tool calls and usage.
 */
final class OpenAiChat implements Protocol
{
    static final OpenAiChat INSTANCE = new OpenAiChat();

    private OpenAiChat()
    {
    }

    @Override
    public String name()
    {
        return "openai.chat";
    }

    @Override
    public ModelRequest parse(final ObjectNode body)
    {
        final JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray())
        {
            throw new IllegalArgumentException("a chat completion request needs \"messages\", an array");
        }
        final List<Message> out = new ArrayList<>(messages.size());
        for (final JsonNode message : messages)
        {
            out.add(message(message, out.size()));
        }
        final JsonNode streamOptions = body.get("stream_options");
        return new ModelRequest(this, body, out, ProxyJson.text(body, "model"), body.get("tools"),
            body.path("stream").asBoolean(false), streamOptions != null && streamOptions.path("include_usage").asBoolean(false));
    }

    private static Message message(final JsonNode message, final int index)
    {
        if (!message.isObject() || !message.path("role").isTextual())
        {
            throw new IllegalArgumentException("messages[" + index + "] needs a \"role\"");
        }
        final String role = message.get("role").asText();
        final String content = ProxyJson.textParts(message.get("content"));
        switch (role)
        {
            case "system", "developer" ->
            {
                return Message.text(Message.SYSTEM, content);
            }
            case "assistant" ->
            {
                final List<ToolCall> calls = new ArrayList<>();
                for (final JsonNode call : message.path("tool_calls"))
                {
                    final JsonNode function = call.path("function");
                    calls.add(new ToolCall(ProxyJson.text(call, "id"), function.path("name").asText(""),
                        function.path("arguments").asText("")));
                }
                return Message.assistant(content, calls);
            }
            case "tool" ->
            {
                return Message.toolResult(ProxyJson.text(message, "tool_call_id"), content, false);
            }
            default ->
            {
                return Message.text(Message.USER, content);
            }
        }
    }

    @Override
    public ModelTurn turn(final JsonNode response)
    {
        final JsonNode message = response.path("choices").path(0).path("message");
        if (!message.isObject())
        {
            throw new IllegalArgumentException("the response has no choices[0].message");
        }
        final List<ToolCall> calls = new ArrayList<>();
        for (final JsonNode call : message.path("tool_calls"))
        {
            final JsonNode function = call.path("function");
            calls.add(new ToolCall(ProxyJson.text(call, "id"), function.path("name").asText(""), function.path("arguments").asText("")));
        }
        final JsonNode usage = response.get("usage");
        return new ModelTurn(ProxyJson.textParts(message.get("content")), calls, ProxyJson.text(response, "model"),
            usage == null || usage.isNull() ? null : ProxyJson.write(usage),
            ProxyJson.text(response.path("choices").path(0), "finish_reason"), null);
    }

    @Override
    public StreamTurn streamTurn()
    {
        return new Chunks();
    }

    @Override
    public byte[] response(final ModelTurn turn, final Served served)
    {
        final ObjectNode out = head(served, turn, "chat.completion");
        final ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        final ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", turn.content());
        if (turn.hasToolCalls())
        {
            final ArrayNode calls = message.putArray("tool_calls");
            for (final ToolCall call : turn.toolCalls())
            {
                final ObjectNode entry = calls.addObject();
                entry.put("id", call.id());
                entry.put("type", "function");
                entry.putObject("function").put("name", call.name()).put("arguments", call.arguments());
            }
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(turn));
        if (turn.usage() != null)
        {
            out.set("usage", ProxyJson.parse(turn.usage()));
        }
        return ProxyJson.bytes(out);
    }

    @Override
    public void stream(final ModelTurn turn, final Served served, final SseOut out) throws IOException
    {
        final ObjectNode first = chunk(served, turn);
        delta(first).put("role", "assistant").put("content", "");
        out.event(null, ProxyJson.write(first));
        if (turn.content() != null)
        {
            final ObjectNode text = chunk(served, turn);
            delta(text).put("content", turn.content());
            out.event(null, ProxyJson.write(text));
        }
        for (int i = 0; i < turn.toolCalls().size(); i++)
        {
            final ToolCall call = turn.toolCalls().get(i);
            final ObjectNode chunk = chunk(served, turn);
            final ObjectNode entry = delta(chunk).putArray("tool_calls").addObject();
            entry.put("index", i).put("id", call.id()).put("type", "function");
            entry.putObject("function").put("name", call.name()).put("arguments", call.arguments());
            out.event(null, ProxyJson.write(chunk));
        }
        final ObjectNode last = chunk(served, turn);
        ((ObjectNode)last.get("choices").get(0)).put("finish_reason", finishReason(turn));
        out.event(null, ProxyJson.write(last));
        if (served.includeUsage() && turn.usage() != null)
        {
            final ObjectNode usage = head(served, turn, "chat.completion.chunk");
            usage.putArray("choices");
            usage.set("usage", ProxyJson.parse(turn.usage()));
            out.event(null, ProxyJson.write(usage));
        }
        out.event(null, "[DONE]");
    }

    private static ObjectNode head(final Served served, final ModelTurn turn, final String object)
    {
        final ObjectNode out = ProxyJson.object();
        out.put("id", served.id());
        out.put("object", object);
        out.put("created", served.createdEpoch());
        out.put("model", turn.model());
        return out;
    }

    private static ObjectNode chunk(final Served served, final ModelTurn turn)
    {
        final ObjectNode out = head(served, turn, "chat.completion.chunk");
        final ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta");
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        return out;
    }

    private static ObjectNode delta(final ObjectNode chunk)
    {
        return (ObjectNode)chunk.get("choices").get(0).get("delta");
    }

    /**
     * @return the recorded finish reason; for a turn recorded without one, derived from the turn.
     */
    private static String finishReason(final ModelTurn turn)
    {
        if (turn.finishReason() != null)
        {
            return turn.finishReason();
        }
        return turn.hasToolCalls() ? "tool_calls" : "stop";
    }

    @Override
    public void substitute(final ObjectNode body, final Map<String, ToolResult> results)
    {
        for (final JsonNode message : body.path("messages"))
        {
            final String id = ProxyJson.text(message, "tool_call_id");
            if ("tool".equals(message.path("role").asText()) && id != null && results.containsKey(id))
            {
                ((ObjectNode)message).put("content", results.get(id).content());
            }
        }
    }

    @Override
    public byte[] error(final String type, final String message, final ObjectNode details)
    {
        final ObjectNode out = ProxyJson.object();
        final ObjectNode error = out.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.putNull("param");
        error.put("code", type);
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
        out.put("object", "list");
        final ArrayNode data = out.putArray("data");
        for (final String id : ids)
        {
            data.addObject().put("id", id).put("object", "model").put("created", 0).put("owned_by", "forkline-replay");
        }
        return ProxyJson.bytes(out);
    }

    /**
     * Accumulates {@code chat.completion.chunk}s: content deltas, tool call deltas by index, the model and the usage.
     */
    private static final class Chunks implements StreamTurn
    {
        private final StringBuilder content = new StringBuilder();
        private final List<String[]> calls = new ArrayList<>();
        private String model;
        private String usage;
        private String finishReason;
        private String error;
        private boolean done;
        private boolean anyContent;

        @Override
        public void event(final String event, final String data)
        {
            if ("[DONE]".equals(data.trim()))
            {
                done = true;
                return;
            }
            final JsonNode chunk;
            try
            {
                chunk = ProxyJson.parse(data);
            }
            catch (final IllegalArgumentException ex)
            {
                error = "a stream chunk is not JSON";
                return;
            }
            if (chunk.has("error"))
            {
                error = ProxyJson.write(chunk.get("error"));
                return;
            }
            if (chunk.path("model").isTextual())
            {
                model = chunk.get("model").asText();
            }
            final JsonNode usageNode = chunk.get("usage");
            if (usageNode != null && usageNode.isObject())
            {
                usage = ProxyJson.write(usageNode);
            }
            final JsonNode choice = chunk.path("choices").path(0);
            if (choice.path("finish_reason").isTextual())
            {
                finishReason = choice.get("finish_reason").asText();
            }
            final JsonNode delta = choice.path("delta");
            if (delta.path("content").isTextual())
            {
                content.append(delta.get("content").asText());
                anyContent = true;
            }
            for (final JsonNode call : delta.path("tool_calls"))
            {
                final int index = call.path("index").asInt(calls.size());
                while (calls.size() <= index)
                {
                    calls.add(new String[] {null, "", ""});
                }
                final String[] entry = calls.get(index);
                if (call.path("id").isTextual())
                {
                    entry[0] = call.get("id").asText();
                }
                final JsonNode function = call.path("function");
                if (function.path("name").isTextual())
                {
                    entry[1] = entry[1] + function.get("name").asText();
                }
                if (function.path("arguments").isTextual())
                {
                    entry[2] = entry[2] + function.get("arguments").asText();
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
            final List<ToolCall> toolCalls = new ArrayList<>(calls.size());
            for (final String[] call : calls)
            {
                toolCalls.add(new ToolCall(call[0], call[1], call[2]));
            }
            return new ModelTurn(anyContent ? content.toString() : null, toolCalls, model, usage, finishReason, null);
        }

        @Override
        public String error()
        {
            return error;
        }
    }
}
