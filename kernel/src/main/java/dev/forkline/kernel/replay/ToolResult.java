package dev.forkline.kernel.replay;

import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.TypedEvent;

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

    /**
     * The {@code tool.result} event of {@code result} answering {@code call}: {@code {"tool_call_id", "name",
     * "content", "error", "request_hash"}}, as {@link Recorder#tool} records it.
     */
    public static TypedEvent event(final ToolCall call, final ToolResult result)
    {
        if (call == null || result == null)
        {
            throw new IllegalArgumentException("a tool result event needs the call and the result");
        }
        return new Answer(call, result);
    }

    private record Answer(ToolCall call, ToolResult result) implements TypedEvent
    {
        @Override
        public EventKind kind()
        {
            return EventKind.TOOL_RESULT;
        }

        @Override
        public String toJson()
        {
            return Payloads.toolResult(call, result, RequestHash.ofToolCall(call.name(), call.arguments()));
        }
    }
}
