package dev.forkline.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * A model request as a {@link Script} sees it, whatever the wire protocol: the model, the conversation, the
 * names of the tools offered, whether the client asked for a stream, and the body as it came.
 *
 * @param model    the model the client named.
 * @param messages the conversation, in order.
 * @param tools    the names of the tools offered, in order.
 * @param stream   true when the client asked for server-sent events.
 * @param body     the request body, as received.
 */
public record ChatTurnRequest(String model, List<TurnMessage> messages, List<String> tools, boolean stream, String body)
{
    /**
     * Copies the lists.
     */
    public ChatTurnRequest
    {
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
    }

    /**
     * @return the text of the first user message, or null.
     */
    public String firstUserText()
    {
        for (final TurnMessage message : messages)
        {
            if ("user".equals(message.role()))
            {
                return message.content();
            }
        }
        return null;
    }

    /**
     * @return the last message, or null for an empty conversation.
     */
    public TurnMessage last()
    {
        return messages.isEmpty() ? null : messages.get(messages.size() - 1);
    }

    /**
     * @return how many assistant messages the conversation holds: 0 on the first call of a conversation.
     */
    public int assistantTurns()
    {
        int n = 0;
        for (final TurnMessage message : messages)
        {
            if ("assistant".equals(message.role()))
            {
                n++;
            }
        }
        return n;
    }

    /**
     * @return the {@code tool} messages after the last assistant message, in order: the results of the tool
     * calls the model asked for last.
     */
    public List<TurnMessage> toolResults()
    {
        final List<TurnMessage> results = new ArrayList<>();
        for (int i = messages.size() - 1; i >= 0 && "tool".equals(messages.get(i).role()); i--)
        {
            results.add(0, messages.get(i));
        }
        return results;
    }
}
