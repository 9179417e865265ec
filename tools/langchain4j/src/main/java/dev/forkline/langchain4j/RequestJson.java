package dev.forkline.langchain4j;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;

import java.io.IOException;

/**
 * The JSON text of a model request whose hash the recorder stores: the messages, the tool specifications and
 * the parameters, after the model's default parameters are applied as LangChain4j applies them. A message holds
 * what a model turn records and a replay gives back (text, tool calls with their ids, tool results), so the
 * request a replayed agent builds hashes like the recorded one; a model's reasoning text ("thinking") and
 * message attributes are left out for that reason.
 */
final class RequestJson
{
    private RequestJson()
    {
    }

    static String of(final ChatRequest request, final ChatRequestParameters defaults)
    {
        final ChatRequestParameters parameters = defaults == null ? request.parameters() : defaults.overrideWith(request.parameters());
        final ObjectNode out = Turns.MAPPER.createObjectNode();
        final ArrayNode messages = out.putArray("messages");
        for (final ChatMessage message : request.messages())
        {
            message(messages.addObject(), message);
        }
        final ArrayNode tools = out.putArray("tools");
        if (parameters.toolSpecifications() != null)
        {
            for (final ToolSpecification tool : parameters.toolSpecifications())
            {
                tools.add(tool(tool));
            }
        }
        final ObjectNode p = out.putObject("parameters");
        p.put("model", parameters.modelName());
        p.put("temperature", parameters.temperature());
        p.put("top_p", parameters.topP());
        p.put("top_k", parameters.topK());
        p.put("frequency_penalty", parameters.frequencyPenalty());
        p.put("presence_penalty", parameters.presencePenalty());
        p.put("max_output_tokens", parameters.maxOutputTokens());
        final ArrayNode stops = p.putArray("stop");
        if (parameters.stopSequences() != null)
        {
            parameters.stopSequences().forEach(stops::add);
        }
        p.put("tool_choice", parameters.toolChoice() == null ? null : parameters.toolChoice().name());
        p.put("response_format", parameters.responseFormat() == null ? null : parameters.responseFormat().toString());
        return out.toString();
    }

    private static void message(final ObjectNode out, final ChatMessage message)
    {
        if (message instanceof SystemMessage system)
        {
            out.put("role", "system").put("text", system.text());
        }
        else if (message instanceof UserMessage user)
        {
            out.put("role", "user").put("name", user.name());
            final ArrayNode contents = out.putArray("contents");
            for (final Content content : user.contents())
            {
                if (content instanceof TextContent text)
                {
                    contents.addObject().put("type", "text").put("text", text.text());
                }
                else
                {
                    contents.addObject().put("type", content.type().name()).put("value", content.toString());
                }
            }
        }
        else if (message instanceof AiMessage ai)
        {
            out.put("role", "ai").put("text", ai.text());
            final ArrayNode calls = out.putArray("tool_calls");
            if (ai.hasToolExecutionRequests())
            {
                for (final ToolExecutionRequest call : ai.toolExecutionRequests())
                {
                    calls.addObject().put("id", call.id()).put("name", call.name()).put("arguments", call.arguments());
                }
            }
        }
        else if (message instanceof ToolExecutionResultMessage result)
        {
            out.put("role", "tool").put("id", result.id()).put("name", result.toolName());
            final ArrayNode contents = out.putArray("contents");
            for (final Content content : result.contents())
            {
                contents.add(content instanceof TextContent text ? text.text() : content.toString());
            }
            out.put("error", Boolean.TRUE.equals(result.isError()));
        }
        else
        {
            out.put("role", message.type().name()).put("value", message.toString());
        }
    }

    private static ObjectNode tool(final ToolSpecification tool)
    {
        try
        {
            return (ObjectNode)Turns.MAPPER.readTree(tool.toJson());
        }
        catch (final IOException | ClassCastException ex)
        {
            return Turns.MAPPER.createObjectNode().put("name", tool.name()).put("spec", tool.toString());
        }
    }
}
