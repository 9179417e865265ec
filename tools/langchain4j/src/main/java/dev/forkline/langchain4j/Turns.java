package dev.forkline.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.replay.ModelTurn;
import dev.forkline.kernel.replay.ToolCall;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Converts between LangChain4j's {@link ChatResponse} and the kernel's {@link ModelTurn}. The turn's usage object
 * holds the token counts in OpenAI's names ({@code {"prompt_tokens":…,"completion_tokens":…,"total_tokens":…}}),
 * its finish reason LangChain4j's, in lower case ({@code "tool_execution"}). Turns recorded before the finish
 * reason had a field of its own keep it in the usage object, where it is still read.
 */
final class Turns
{
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Turns()
    {
    }

    static ModelTurn toTurn(final ChatResponse response)
    {
        final AiMessage message = response.aiMessage();
        final List<ToolCall> calls = new ArrayList<>();
        if (message.hasToolExecutionRequests())
        {
            for (final ToolExecutionRequest request : message.toolExecutionRequests())
            {
                calls.add(toolCall(request));
            }
        }
        final ChatResponseMetadata metadata = response.metadata();
        final FinishReason finish = metadata.finishReason();
        return new ModelTurn(message.text(), calls, metadata.modelName(), usage(metadata.tokenUsage()),
            finish == null ? null : finish.name().toLowerCase(Locale.ROOT), null);
    }

    static ToolCall toolCall(final ToolExecutionRequest request)
    {
        return new ToolCall(request.id(), request.name(), request.arguments() == null ? "{}" : request.arguments());
    }

    static ToolExecutionRequest toolRequest(final ToolCall call)
    {
        return ToolExecutionRequest.builder().id(call.id()).name(call.name()).arguments(call.arguments()).build();
    }

    static ChatResponse toResponse(final ModelTurn turn)
    {
        final List<ToolExecutionRequest> requests = new ArrayList<>(turn.toolCalls().size());
        for (final ToolCall call : turn.toolCalls())
        {
            requests.add(toolRequest(call));
        }
        final AiMessage message = AiMessage.builder().text(turn.content()).toolExecutionRequests(requests).build();
        final JsonNode usage = parse(turn.usage());
        final ChatResponseMetadata.Builder<?> metadata = ChatResponseMetadata.builder().modelName(turn.model());
        if (usage != null && (usage.has("prompt_tokens") || usage.has("completion_tokens") || usage.has("total_tokens")))
        {
            metadata.tokenUsage(new TokenUsage(integer(usage, "prompt_tokens"), integer(usage, "completion_tokens"),
                integer(usage, "total_tokens")));
        }
        final JsonNode oldFinish = usage == null ? null : usage.get("finish_reason");
        if (turn.finishReason() != null)
        {
            metadata.finishReason(finishReason(turn.finishReason()));
        }
        else if (oldFinish != null && oldFinish.isTextual())
        {
            metadata.finishReason(finishReason(oldFinish.asText()));
        }
        else if (!requests.isEmpty())
        {
            metadata.finishReason(FinishReason.TOOL_EXECUTION);
        }
        return ChatResponse.builder().aiMessage(message).metadata(metadata.build()).build();
    }

    private static String usage(final TokenUsage tokens)
    {
        if (tokens == null)
        {
            return null;
        }
        final ObjectNode usage = MAPPER.createObjectNode();
        usage.put("prompt_tokens", tokens.inputTokenCount());
        usage.put("completion_tokens", tokens.outputTokenCount());
        usage.put("total_tokens", tokens.totalTokenCount());
        return usage.toString();
    }

    private static FinishReason finishReason(final String name)
    {
        try
        {
            return FinishReason.valueOf(name.toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            return FinishReason.OTHER;
        }
    }

    private static Integer integer(final JsonNode usage, final String field)
    {
        final JsonNode value = usage.get(field);
        return value == null || !value.canConvertToInt() ? null : value.asInt();
    }

    private static JsonNode parse(final String json)
    {
        if (json == null)
        {
            return null;
        }
        try
        {
            final JsonNode node = MAPPER.readTree(json);
            return node != null && node.isObject() ? node : null;
        }
        catch (final IOException ex)
        {
            return null;
        }
    }
}
