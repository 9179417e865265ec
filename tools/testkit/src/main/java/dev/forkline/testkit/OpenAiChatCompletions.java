package dev.forkline.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * The wire protocol of OpenAI's {@code POST /v1/chat/completions}: reads a request into a {@link ChatTurnRequest},
 * asks the script, and answers with one {@code chat.completion} object, or with {@code chat.completion.chunk}
 * server-sent events ending in {@code data: [DONE]} when the request has {@code "stream": true}. With
 * {@code stream_options.include_usage} the last chunk before {@code [DONE]} carries the usage. Response ids
 * come from a hash of the request, so a run gives the same ids every time.
 */
final class OpenAiChatCompletions implements HttpRoute
{
    static final long CREATED = 1_764_435_600L;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int CHUNK = 6;

    private final Script script;
    private final Consumer<ChatTurnRequest> received;

    OpenAiChatCompletions(final Script script, final Consumer<ChatTurnRequest> received)
    {
        this.script = script;
        this.received = received;
    }

    @Override
    public void handle(final HttpExchange exchange) throws IOException
    {
        final String body = exchange.body();
        final JsonNode json;
        try
        {
            json = MAPPER.readTree(body);
        }
        catch (final JsonProcessingException ex)
        {
            exchange.respondError(400, "the request body is not JSON: " + ex.getOriginalMessage());
            return;
        }
        if (json == null || !json.isObject() || !json.path("messages").isArray())
        {
            exchange.respondError(400, "a chat completion request needs \"messages\" (an array)");
            return;
        }
        final ChatTurnRequest request = parse(json, body);
        received.accept(request);
        final Reply reply = script.reply(request);
        final String id = "chatcmpl-" + sha256(body).substring(0, 16);
        final List<ToolCallSpec> calls = withIds(reply.toolCalls(), request.assistantTurns() + 1);
        final ObjectNode usage = usage(body, reply, calls);
        if (request.stream())
        {
            stream(exchange.eventStream(), id, request.model(), reply, calls,
                json.path("stream_options").path("include_usage").asBoolean(false) ? usage : null);
        }
        else
        {
            exchange.respond(200, "application/json", MAPPER.writeValueAsString(completion(id, request.model(), reply, calls, usage)));
        }
    }

    static ChatTurnRequest parse(final JsonNode json, final String body)
    {
        final List<TurnMessage> messages = new ArrayList<>();
        for (final JsonNode message : json.path("messages"))
        {
            final List<ToolCallSpec> calls = new ArrayList<>();
            for (final JsonNode call : message.path("tool_calls"))
            {
                final JsonNode function = call.path("function");
                calls.add(new ToolCallSpec(text(call, "id"), function.path("name").asText(""), function.path("arguments").asText("")));
            }
            messages.add(new TurnMessage(message.path("role").asText(""), content(message.get("content")), calls,
                text(message, "tool_call_id")));
        }
        final List<String> tools = new ArrayList<>();
        for (final JsonNode tool : json.path("tools"))
        {
            tools.add(tool.path("function").path("name").asText(""));
        }
        return new ChatTurnRequest(json.path("model").asText(""), messages, tools, json.path("stream").asBoolean(false), body);
    }

    private static String content(final JsonNode content)
    {
        if (content == null || content.isNull())
        {
            return null;
        }
        if (!content.isArray())
        {
            return content.asText();
        }
        final StringBuilder text = new StringBuilder();
        for (final JsonNode part : content)
        {
            if (part.has("text"))
            {
                text.append(part.get("text").asText());
            }
        }
        return text.toString();
    }

    private static List<ToolCallSpec> withIds(final List<ToolCallSpec> calls, final int turn)
    {
        final List<ToolCallSpec> out = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++)
        {
            final ToolCallSpec call = calls.get(i);
            out.add(call.id() != null ? call : new ToolCallSpec("call_" + turn + "_" + (i + 1), call.name(), call.arguments()));
        }
        return out;
    }

    private static ObjectNode completion(
        final String id, final String model, final Reply reply, final List<ToolCallSpec> calls, final ObjectNode usage)
    {
        final ObjectNode out = header(id, "chat.completion", model);
        final ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        final ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", reply.content());
        if (!calls.isEmpty())
        {
            final ArrayNode toolCalls = message.putArray("tool_calls");
            for (final ToolCallSpec call : calls)
            {
                final ObjectNode c = toolCalls.addObject();
                c.put("id", call.id());
                c.put("type", "function");
                c.putObject("function").put("name", call.name()).put("arguments", call.arguments());
            }
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", reply.finishReason());
        out.set("usage", usage);
        return out;
    }

    private static void stream(
        final EventStream events, final String id, final String model, final Reply reply, final List<ToolCallSpec> calls,
        final ObjectNode usage) throws IOException
    {
        final ObjectNode first = chunk(id, model);
        first.withArray("choices").addObject().put("index", 0).putNull("finish_reason")
            .putObject("delta").put("role", "assistant").put("content", "");
        events.send(MAPPER.writeValueAsString(first));
        if (reply.content() != null)
        {
            final String content = reply.content();
            for (int i = 0; i < content.length(); i += CHUNK)
            {
                final ObjectNode piece = chunk(id, model);
                piece.withArray("choices").addObject().put("index", 0).putNull("finish_reason")
                    .putObject("delta").put("content", content.substring(i, Math.min(content.length(), i + CHUNK)));
                events.send(MAPPER.writeValueAsString(piece));
            }
        }
        for (int n = 0; n < calls.size(); n++)
        {
            final ToolCallSpec call = calls.get(n);
            final String arguments = call.arguments();
            final int half = arguments.length() / 2;
            for (int part = 0; part < 2; part++)
            {
                final ObjectNode piece = chunk(id, model);
                final ObjectNode delta = piece.withArray("choices").addObject().put("index", 0).putNull("finish_reason")
                    .putObject("delta");
                final ObjectNode toolCall = delta.putArray("tool_calls").addObject().put("index", n);
                final ObjectNode function = toolCall.putObject("function");
                if (part == 0)
                {
                    toolCall.put("id", call.id()).put("type", "function");
                    function.put("name", call.name());
                }
                function.put("arguments", part == 0 ? arguments.substring(0, half) : arguments.substring(half));
                events.send(MAPPER.writeValueAsString(piece));
            }
        }
        final ObjectNode last = chunk(id, model);
        last.withArray("choices").addObject().put("index", 0).put("finish_reason", reply.finishReason()).putObject("delta");
        events.send(MAPPER.writeValueAsString(last));
        if (usage != null)
        {
            final ObjectNode usageChunk = chunk(id, model);
            usageChunk.putArray("choices");
            usageChunk.set("usage", usage);
            events.send(MAPPER.writeValueAsString(usageChunk));
        }
        events.send("[DONE]");
    }

    private static ObjectNode chunk(final String id, final String model)
    {
        return header(id, "chat.completion.chunk", model);
    }

    private static ObjectNode header(final String id, final String object, final String model)
    {
        final ObjectNode out = MAPPER.createObjectNode();
        out.put("id", id);
        out.put("object", object);
        out.put("created", CREATED);
        out.put("model", model);
        return out;
    }

    private static ObjectNode usage(final String body, final Reply reply, final List<ToolCallSpec> calls)
    {
        int replyChars = reply.content() == null ? 0 : reply.content().length();
        for (final ToolCallSpec call : calls)
        {
            replyChars += call.name().length() + call.arguments().length();
        }
        final int prompt = (body.length() + 3) / 4;
        final int completion = Math.max(1, (replyChars + 3) / 4);
        final ObjectNode usage = MAPPER.createObjectNode();
        usage.put("prompt_tokens", prompt);
        usage.put("completion_tokens", completion);
        usage.put("total_tokens", prompt + completion);
        return usage;
    }

    private static String text(final JsonNode node, final String field)
    {
        final JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String sha256(final String text)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
