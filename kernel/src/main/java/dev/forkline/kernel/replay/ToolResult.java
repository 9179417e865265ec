package dev.forkline.kernel.replay;

/**
 * What a tool returned: the observation the agent sees.
 *
 * @param content the text of the result.
 * @param error   true when the tool failed and {@code content} says why.
 */
public record ToolResult(String content, boolean error)
{
    /**
     * @throws IllegalArgumentException when the content is null.
     */
    public ToolResult
    {
        if (content == null)
        {
            throw new IllegalArgumentException("tool result content must not be null");
        }
    }
}
