package dev.forkline.kernel.replay;

import java.util.List;

/**
 * One model response: text, tool calls, or both.
 *
 * @param content   the text, or null when the model only calls tools.
 * @param toolCalls the tool calls, in order; empty when none.
 * @param model     the model that answered; may be null.
 * @param usage     token usage as a JSON object text, or null.
 */
public record ModelTurn(String content, List<ToolCall> toolCalls, String model, String usage)
{
    /**
     * Copies the tool calls, so that the turn cannot change after it is recorded.
     */
    public ModelTurn
    {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    /**
     * @return true when the model asked for at least one tool call.
     */
    public boolean hasToolCalls()
    {
        return !toolCalls.isEmpty();
    }
}
