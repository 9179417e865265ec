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
 * The wire protocol of Anthropic's {@code POST /v1/messages}: reads a request (a {@code system} prompt, user and
 * assistant messages of text, {@code tool_use} and {@code tool_result} blocks) into a {@link ChatTurnRequest},
 * asks the script, and answers with one {@code message} object, or, with {@code "stream": true}, with the
 * events {@code message_start}, {@code content_block_start}, {@code content_block_delta} ({@code text_delta},
 * {@code input_json_delta}), {@code content_block_stop}, {@code message_delta} and {@code message_stop}.
 * A user message's {@code tool_result} blocks become {@code tool} messages of the request; a reply's tool calls
 * become {@code tool_use} blocks with ids {@code toolu_<turn>_<n>}.
 */
final class AnthropicMessagesRoute implements HttpRoute
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int CHUNK = 6;

    private final Script script;
    private final Consumer<ChatTurnRequest> received;

    AnthropicMessagesRoute(final Script script, final Consumer<ChatTurnRequest> received)
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
            error(exchange, 400, "the request body is not JSON: " + ex.getOriginalMessage());
            return;
        }
        if (json == null || !json.isObject() || !json.path("messages").isArray() || !json.path("max_tokens").isNumber())
        {
            error(exchange, 400, "a messages request needs \"messages\" (an array) and \"max_tokens\"");
            return;
        }
        final ChatTurnRequest request = parse(json, body);
        received.accept(request);
        final Reply reply = script.reply(request);
        final String id = "msg_" + sha256(body).substring(0, 20);
        final List<ToolCallSpec> calls = withIds(reply.toolCalls(), request.assistantTurns() + 1);
        final int input = (body.length() + 3) / 4;
        final int output = outputTokens(reply, calls);
        if (request.stream())
        {
            stream(exchange.eventStream(), id, request.model(), reply, calls, input, output);
        }
        else
        {
            final ObjectNode message = message(id, request.model());
            final ArrayNode content = message.putArray("content");
            if (reply.content() != null)
            {
                content.addObject().put("type", "text").put("text", reply.content());
            }
            for (final ToolCallSpec call : calls)
            {
                content.addObject().put("type", "tool_use").put("id", call.id()).put("name", call.name())
                    .set("input", MAPPER.readTree(call.arguments()));
            }
            message.put("stop_reason", stopReason(reply));
            message.putNull("stop_sequence");
            message.putObject("usage").put("input_tokens", input).put("output_tokens", output);
            exchange.respond(200, "application/json", MAPPER.writeValueAsString(message));
        }
    }

    static ChatTurnRequest parse(final JsonNode json, final String body)
    {
        final List<TurnMessage> messages = new ArrayList<>();
        final JsonNode system = json.get("system");
        if (system != null && !system.isNull())
        {
            messages.add(new TurnMessage("system", text(system), List.of(), null));
        }
        for (final JsonNode message : json.path("messages"))
        {
            final String role = message.path("role").asText("");
            final JsonNode content = message.get("content");
            if (content == null || !content.isArray())
            {
                messages.add(new TurnMessage(role, content == null || content.isNull() ? null : content.asText(), List.of(), null));
                continue;
            }
            final StringBuilder text = new StringBuilder();
            final List<ToolCallSpec> calls = new ArrayList<>();
            for (final JsonNode block : content)
            {
                switch (block.path("type").asText())
                {
                    case "text" -> text.append(block.path("text").asText());
                    case "tool_use" -> calls.add(new ToolCallSpec(block.path("id").asText(null), block.path("name").asText(""),
                        block.path("input").toString()));
                    case "tool_result" -> messages.add(new TurnMessage("tool", text(block.path("content")), List.of(),
                        block.path("tool_use_id").asText(null)));
                    default ->
                    {
                        // images and documents carry no text for the script
                    }
                }
            }
            if (text.length() > 0 || !calls.isEmpty())
            {
                messages.add(new TurnMessage(role, text.length() == 0 ? null : text.toString(), calls, null));
            }
        }
        final List<String> tools = new ArrayList<>();
        for (final JsonNode tool : json.path("tools"))
        {
            tools.add(tool.path("name").asText(""));
        }
        return new ChatTurnRequest(json.path("model").asText(""), messages, tools, json.path("stream").asBoolean(false), body);
    }

    private static String text(final JsonNode content)
    {
        if (!content.isArray())
        {
            return content.isMissingNode() || content.isNull() ? "" : content.asText();
        }
        final StringBuilder text = new StringBuilder();
        for (final JsonNode block : content)
        {
            text.append(block.path("text").asText(""));
        }
        return text.toString();
    }

    private static void stream(
        final EventStream events,
        final String id,
        final String model,
        final Reply reply,
        final List<ToolCallSpec> calls,
        final int input,
        final int output) throws IOException
    {
        final ObjectNode message = message(id, model);
        message.putArray("content");
        message.putNull("stop_reason").putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", input).put("output_tokens", 1);
        final ObjectNode start = MAPPER.createObjectNode().put("type", "message_start");
        start.set("message", message);
        events.send("message_start", MAPPER.writeValueAsString(start));
        events.send("ping", "{\"type\":\"ping\"}");
        int index = 0;
        if (reply.content() != null)
        {
            final ObjectNode block = MAPPER.createObjectNode().put("type", "text").put("text", "");
            final List<ObjectNode> deltas = new ArrayList<>();
            final String content = reply.content();
            for (int i = 0; i < content.length(); i += CHUNK)
            {
                deltas.add(MAPPER.createObjectNode().put("type", "text_delta")
                    .put("text", content.substring(i, Math.min(content.length(), i + CHUNK))));
            }
            block(events, index++, block, deltas);
        }
        for (final ToolCallSpec call : calls)
        {
            final ObjectNode block = MAPPER.createObjectNode().put("type", "tool_use").put("id", call.id()).put("name", call.name());
            block.putObject("input");
            final String arguments = call.arguments();
            final int half = arguments.length() / 2;
            block(events, index++, block, List.of(
                MAPPER.createObjectNode().put("type", "input_json_delta").put("partial_json", arguments.substring(0, half)),
                MAPPER.createObjectNode().put("type", "input_json_delta").put("partial_json", arguments.substring(half))));
        }
        final ObjectNode delta = MAPPER.createObjectNode().put("type", "message_delta");
        delta.putObject("delta").put("stop_reason", stopReason(reply)).putNull("stop_sequence");
        delta.putObject("usage").put("output_tokens", output);
        events.send("message_delta", MAPPER.writeValueAsString(delta));
        events.send("message_stop", "{\"type\":\"message_stop\"}");
    }

    private static void block(final EventStream events, final int index, final ObjectNode block, final List<ObjectNode> deltas)
        throws IOException
    {
        final ObjectNode start = MAPPER.createObjectNode().put("type", "content_block_start").put("index", index);
        start.set("content_block", block);
        events.send("content_block_start", MAPPER.writeValueAsString(start));
        for (final ObjectNode delta : deltas)
        {
            final ObjectNode event = MAPPER.createObjectNode().put("type", "content_block_delta").put("index", index);
            event.set("delta", delta);
            events.send("content_block_delta", MAPPER.writeValueAsString(event));
        }
        events.send("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
    }

    private static ObjectNode message(final String id, final String model)
    {
        return MAPPER.createObjectNode().put("id", id).put("type", "message").put("role", "assistant").put("model", model);
    }

    private static String stopReason(final Reply reply)
    {
        return switch (reply.finishReason())
        {
            case "tool_calls" -> "tool_use";
            case "length" -> "max_tokens";
            default -> "end_turn";
        };
    }

    private static List<ToolCallSpec> withIds(final List<ToolCallSpec> calls, final int turn)
    {
        final List<ToolCallSpec> out = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++)
        {
            final ToolCallSpec call = calls.get(i);
            out.add(call.id() != null ? call : new ToolCallSpec("toolu_" + turn + "_" + (i + 1), call.name(), call.arguments()));
        }
        return out;
    }

    private static int outputTokens(final Reply reply, final List<ToolCallSpec> calls)
    {
        int chars = reply.content() == null ? 0 : reply.content().length();
        for (final ToolCallSpec call : calls)
        {
            chars += call.name().length() + call.arguments().length();
        }
        return Math.max(1, (chars + 3) / 4);
    }

    /**
     * Writes {@code {"type":"error","error":{"type":…,"message":…}}}, the error shape of Anthropic's API.
     */
    private static void error(final HttpExchange exchange, final int status, final String message) throws IOException
    {
        final ObjectNode error = MAPPER.createObjectNode().put("type", "error");
        error.putObject("error").put("type", "invalid_request_error").put("message", message);
        exchange.respond(status, "application/json", MAPPER.writeValueAsString(error));
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
