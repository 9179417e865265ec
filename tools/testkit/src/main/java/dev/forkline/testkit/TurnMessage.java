package dev.forkline.testkit;

import java.util.List;

/**
 * One message of the conversation a model request carries, whatever the wire protocol.
 *
 * @param role       {@code system}, {@code user}, {@code assistant} or {@code tool}.
 * @param content    the text (text parts joined), or null.
 * @param toolCalls  the tool calls of an assistant message; empty otherwise.
 * @param toolCallId the call a {@code tool} message answers, or null.
 */
public record TurnMessage(String role, String content, List<ToolCallSpec> toolCalls, String toolCallId)
{
    /**
     * Copies the tool calls.
     */
    public TurnMessage
    {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }
}
