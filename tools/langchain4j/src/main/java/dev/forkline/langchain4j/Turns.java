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
 * holds the token counts in OpenAI's names and LangChain4j's finish reason:
 * {@code {"prompt_tokens":…,"completion_tokens":…,"total_tokens":…,"finish_reason":"tool_execution"}}.
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
        return new ModelTurn(message.text(), calls, metadata.modelName(), usage(metadata.tokenUsage(), metadata.finishReason()));
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
        if (usage != null)
        {
            metadata.tokenUsage(new TokenUsage(integer(usage, "prompt_tokens"), integer(usage, "completion_tokens"),
                integer(usage, "total_tokens")));
            final JsonNode finish = usage.get("finish_reason");
            if (finish != null && finish.isTextual())
            {
                metadata.finishReason(finishReason(finish.asText()));
            }
        }
        else if (!requests.isEmpty())
        {
            metadata.finishReason(FinishReason.TOOL_EXECUTION);
        }
        return ChatResponse.builder().aiMessage(message).metadata(metadata.build()).build();
    }

    private static String usage(final TokenUsage tokens, final FinishReason finish)
    {
        if (tokens == null && finish == null)
        {
            return null;
        }
        final ObjectNode usage = MAPPER.createObjectNode();
        if (tokens != null)
        {
            usage.put("prompt_tokens", tokens.inputTokenCount());
            usage.put("completion_tokens", tokens.outputTokenCount());
            usage.put("total_tokens", tokens.totalTokenCount());
        }
        if (finish != null)
        {
            usage.put("finish_reason", finish.name().toLowerCase(Locale.ROOT));
        }
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
