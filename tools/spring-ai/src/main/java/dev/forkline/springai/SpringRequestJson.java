package dev.forkline.springai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;

import java.util.TreeSet;

/**
 * The JSON text of one model round whose hash the recorder stores: the messages (type, text, tool calls, tool
 * responses), the tools offered (definitions of the callbacks, and tool names) and the portable options. A
 * message holds what a turn records and a replay gives back, so the request a replayed agent builds hashes like
 * the recorded one; message metadata is left out for that reason.
 */
final class SpringRequestJson
{
    private SpringRequestJson()
    {
    }

    static String of(final Prompt prompt)
    {
        final ObjectNode out = SpringTurns.MAPPER.createObjectNode();
        final ArrayNode messages = out.putArray("messages");
        for (final Message message : prompt.getInstructions())
        {
            final ObjectNode m = messages.addObject();
            m.put("type", message.getMessageType().getValue());
            m.put("text", message.getText());
            if (message instanceof AssistantMessage assistant)
            {
                final ArrayNode calls = m.putArray("tool_calls");
                for (final AssistantMessage.ToolCall call : assistant.getToolCalls())
                {
                    calls.addObject().put("id", call.id()).put("name", call.name()).put("arguments", call.arguments());
                }
            }
            else if (message instanceof ToolResponseMessage tools)
            {
                final ArrayNode responses = m.putArray("responses");
                for (final ToolResponseMessage.ToolResponse response : tools.getResponses())
                {
                    responses.addObject().put("id", response.id()).put("name", response.name()).put("data", response.responseData());
                }
            }
        }
        final ChatOptions options = prompt.getOptions();
        final ArrayNode tools = out.putArray("tools");
        if (options instanceof ToolCallingChatOptions toolOptions)
        {
            final TreeSet<String> names = new TreeSet<>(toolOptions.getToolNames());
            for (final ToolCallback callback : toolOptions.getToolCallbacks())
            {
                final ToolDefinition definition = callback.getToolDefinition();
                names.remove(definition.name());
                tools.addObject().put("name", definition.name()).put("description", definition.description())
                    .put("input_schema", definition.inputSchema());
            }
            names.forEach(name -> tools.addObject().put("name", name));
        }
        final ObjectNode p = out.putObject("options");
        if (options != null)
        {
            p.put("model", options.getModel());
            p.put("temperature", options.getTemperature());
            p.put("top_p", options.getTopP());
            p.put("top_k", options.getTopK());
            p.put("max_tokens", options.getMaxTokens());
            p.put("frequency_penalty", options.getFrequencyPenalty());
            p.put("presence_penalty", options.getPresencePenalty());
            final ArrayNode stops = p.putArray("stop");
            if (options.getStopSequences() != null)
            {
                options.getStopSequences().forEach(stops::add);
            }
        }
        return out.toString();
    }
}
