package dev.forkline.kernel.replay;

import java.util.List;

/**
 * One model response: text, tool calls, or both.
 *
 * @param content   the text, or null when the model only calls tools.
 * @param toolCalls the tool calls, in order; empty when none.
 * @param model     the model that answered; may be null.
 * @param usage     token usage as a JSON object text, or null; kept without white space between its tokens, every
 *                  number and string exactly as written.
 */
public record ModelTurn(String content, List<ToolCall> toolCalls, String model, String usage)
{
    /**
     * Copies the tool calls, so that the turn cannot change after it is recorded, and compacts the usage.
     *
     * @throws IllegalArgumentException when the usage is not a JSON object.
     */
    public ModelTurn
    {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        usage = usage == null ? null : JsonText.compactObject(usage, "usage");
    }

    /**
     * @return true when the model asked for at least one tool call.
     */
    public boolean hasToolCalls()
    {
        return !toolCalls.isEmpty();
    }
}
