package dev.forkline.testkit;

import java.util.List;

/**
 * What the test server answers to one model request: text, tool calls, or both, and how the turn finished.
 * Token usage is computed from the sizes of the request and the reply, so that it is the same on every run.
 */
public final class Reply
{
    private final String content;
    private final List<ToolCallSpec> toolCalls;
    private final String finishReason;

    private Reply(final String content, final List<ToolCallSpec> toolCalls, final String finishReason)
    {
        this.content = content;
        this.toolCalls = List.copyOf(toolCalls);
        this.finishReason = finishReason;
    }

    /**
     * @return a text answer that finishes with {@code stop}.
     */
    public static Reply text(final String content)
    {
        if (content == null)
        {
            throw new IllegalArgumentException("reply text must not be null");
        }
        return new Reply(content, List.of(), "stop");
    }

    /**
     * @return a turn that asks for tool calls and finishes with {@code tool_calls}.
     */
    public static Reply toolCalls(final ToolCallSpec... calls)
    {
        if (calls.length == 0)
        {
            throw new IllegalArgumentException("a tool-call reply needs at least one call");
        }
        return new Reply(null, List.of(calls), "tool_calls");
    }

    /**
     * @return a tool call whose id the server gives.
     */
    public static ToolCallSpec call(final String name, final String arguments)
    {
        return new ToolCallSpec(null, name, arguments);
    }

    /**
     * @return this reply with another finish reason (for example {@code length}).
     */
    public Reply finishReason(final String reason)
    {
        return new Reply(content, toolCalls, reason);
    }

    /**
     * @return the text, or null.
     */
    public String content()
    {
        return content;
    }

    /**
     * @return the tool calls; empty when none.
     */
    public List<ToolCallSpec> toolCalls()
    {
        return toolCalls;
    }

    /**
     * @return the finish reason in OpenAI's words: {@code stop}, {@code tool_calls}, {@code length}.
     */
    public String finishReason()
    {
        return finishReason;
    }
}
