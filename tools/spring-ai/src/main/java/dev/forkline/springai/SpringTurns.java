package dev.forkline.springai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.replay.ModelTurn;
import dev.forkline.kernel.replay.ToolCall;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts between Spring AI's {@link ChatResponse} and the kernel's {@link ModelTurn}, and joins the chunks of a
 * stream into one response. The turn's usage object holds the token counts in OpenAI's names
 * ({@code {"prompt_tokens":…,"completion_tokens":…,"total_tokens":…}}), its finish reason the one Spring AI reports
 * ({@code "STOP"}). Turns recorded before the finish reason had a field of its own keep it in the usage object,
 * where it is still read. Only the first generation of a response is kept.
 */
final class SpringTurns
{
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int CHUNK = 16;

    private SpringTurns()
    {
    }

    static ModelTurn toTurn(final ChatResponse response)
    {
        if (response == null || response.getResult() == null)
        {
            throw new IllegalStateException("the chat model returned no generation");
        }
        final Generation generation = response.getResult();
        final AssistantMessage message = generation.getOutput();
        final List<ToolCall> calls = new ArrayList<>();
        for (final AssistantMessage.ToolCall call : message.getToolCalls())
        {
            calls.add(new ToolCall(call.id(), call.name(), call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments()));
        }
        final ChatResponseMetadata metadata = response.getMetadata();
        final ObjectNode usage = MAPPER.createObjectNode();
        final Usage tokens = metadata.getUsage();
        if (tokens != null)
        {
            usage.put("prompt_tokens", tokens.getPromptTokens());
            usage.put("completion_tokens", tokens.getCompletionTokens());
            usage.put("total_tokens", tokens.getTotalTokens());
        }
        final String finish = generation.getMetadata() == null ? null : generation.getMetadata().getFinishReason();
        final String model = metadata.getModel() == null || metadata.getModel().isEmpty() ? null : metadata.getModel();
        return new ModelTurn(message.getText(), calls, model, usage.isEmpty() ? null : usage.toString(),
            finish == null || finish.isEmpty() ? null : finish, null);
    }

    static ChatResponse toResponse(final ModelTurn turn)
    {
        final List<AssistantMessage.ToolCall> calls = new ArrayList<>();
        for (final ToolCall call : turn.toolCalls())
        {
            calls.add(new AssistantMessage.ToolCall(call.id(), "function", call.name(), call.arguments()));
        }
        final JsonNode usage = parse(turn.usage());
        final ChatGenerationMetadata.Builder generation = ChatGenerationMetadata.builder();
        final ChatResponseMetadata.Builder metadata = ChatResponseMetadata.builder();
        if (turn.model() != null)
        {
            metadata.model(turn.model());
        }
        if (usage != null)
        {
            metadata.usage(new DefaultUsage(integer(usage, "prompt_tokens"), integer(usage, "completion_tokens"),
                integer(usage, "total_tokens")));
        }
        if (turn.finishReason() != null)
        {
            generation.finishReason(turn.finishReason());
        }
        else if (usage != null && usage.path("finish_reason").isTextual())
        {
            generation.finishReason(usage.get("finish_reason").asText());
        }
        final AssistantMessage message = AssistantMessage.builder().content(turn.content()).toolCalls(calls).build();
        return new ChatResponse(List.of(new Generation(message, generation.build())), metadata.build());
    }

    /**
     * @return the text of a turn in chunks of a few words, as a model streams it; the last chunk carries the
     * metadata (model, usage, finish reason).
     */
    static List<ChatResponse> chunks(final ModelTurn turn)
    {
        final List<ChatResponse> out = new ArrayList<>();
        final String text = turn.content() == null ? "" : turn.content();
        int start = 0;
        while (start < text.length())
        {
            int end = Math.min(text.length(), start + CHUNK);
            while (end < text.length() && text.charAt(end - 1) != ' ')
            {
                end++;
            }
            final boolean last = end == text.length();
            final ModelTurn piece = new ModelTurn(text.substring(start, end), List.of(), last ? turn.model() : null,
                last ? turn.usage() : null, last ? turn.finishReason() : null, null);
            out.add(toResponse(piece));
            start = end;
        }
        if (out.isEmpty())
        {
            out.add(toResponse(new ModelTurn(null, List.of(), turn.model(), turn.usage(), turn.finishReason(), null)));
        }
        return out;
    }

    /**
     * @return the chunks of one streamed response as one: the text joined, the tool calls in order, the last model,
     * usage and finish reason that came.
     */
    static ChatResponse join(final List<ChatResponse> chunks)
    {
        final StringBuilder text = new StringBuilder();
        boolean anyText = false;
        final List<AssistantMessage.ToolCall> calls = new ArrayList<>();
        String model = null;
        Usage usage = null;
        String finish = null;
        for (final ChatResponse chunk : chunks)
        {
            if (chunk == null)
            {
                continue;
            }
            for (final Generation generation : chunk.getResults())
            {
                final AssistantMessage output = generation.getOutput();
                if (output.getText() != null)
                {
                    text.append(output.getText());
                    anyText |= !output.getText().isEmpty();
                }
                calls.addAll(output.getToolCalls());
                final String reason = generation.getMetadata() == null ? null : generation.getMetadata().getFinishReason();
                if (reason != null && !reason.isEmpty())
                {
                    finish = reason;
                }
            }
            final ChatResponseMetadata metadata = chunk.getMetadata();
            if (metadata.getModel() != null && !metadata.getModel().isEmpty())
            {
                model = metadata.getModel();
            }
            if (metadata.getUsage() != null && metadata.getUsage().getTotalTokens() != null && metadata.getUsage().getTotalTokens() > 0)
            {
                usage = metadata.getUsage();
            }
        }
        final ChatResponseMetadata.Builder metadata = ChatResponseMetadata.builder();
        if (model != null)
        {
            metadata.model(model);
        }
        if (usage != null)
        {
            metadata.usage(usage);
        }
        final ChatGenerationMetadata.Builder generation = ChatGenerationMetadata.builder();
        if (finish != null)
        {
            generation.finishReason(finish);
        }
        final AssistantMessage message = AssistantMessage.builder().content(anyText ? text.toString() : null).toolCalls(calls).build();
        return new ChatResponse(List.of(new Generation(message, generation.build())), metadata.build());
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
