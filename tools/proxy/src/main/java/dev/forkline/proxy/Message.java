package dev.forkline.proxy;

import dev.forkline.kernel.replay.ToolCall;

import java.util.List;

/**
 * One message of a model request, in a form both protocols map to: what the proxy compares to find a session's
 * continuation and what it records as an event.
 *
 * @param role       {@code system}, {@code user}, {@code assistant} or {@code tool}.
 * @param content    the text (a JSON text for content that is not text only), or null.
 * @param toolCalls  an assistant message's tool calls, arguments as canonical JSON where they parse.
 * @param toolCallId a tool message's call id, else null.
 * @param error      a tool message that reports a failure.
 */
record Message(String role, String content, List<ToolCall> toolCalls, String toolCallId, boolean error)
{
    static final String SYSTEM = "system";
    static final String USER = "user";
    static final String ASSISTANT = "assistant";
    static final String TOOL = "tool";

    Message
    {
        content = content == null || content.isEmpty() ? null : content;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    static Message text(final String role, final String content)
    {
        return new Message(role, content, List.of(), null, false);
    }

    static Message toolResult(final String toolCallId, final String content, final boolean error)
    {
        return new Message(TOOL, content, List.of(), toolCallId, error);
    }

    static Message assistant(final String content, final List<ToolCall> toolCalls)
    {
        final List<ToolCall> canonical = new java.util.ArrayList<>(toolCalls.size());
        for (final ToolCall call : toolCalls)
        {
            canonical.add(new ToolCall(call.id(), call.name(), ProxyJson.canonicalOrSelf(call.arguments())));
        }
        return new Message(ASSISTANT, content, canonical, null, false);
    }

    /**
     * @return the text the message's digest is taken over: every field, separated so that no two messages share it.
     */
    String digestText()
    {
        final StringBuilder out = new StringBuilder(64 + (content == null ? 0 : content.length()));
        out.append(role).append('\u0000').append(content == null ? "\u0001" : content).append('\u0000');
        for (final ToolCall call : toolCalls)
        {
            out.append(call.id()).append('\u0002').append(call.name()).append('\u0002')
                .append(ProxyJson.canonicalOrSelf(call.arguments())).append('\u0003');
        }
        out.append('\u0000').append(toolCallId == null ? "\u0001" : toolCallId).append(error ? "!" : ".");
        return out.toString();
    }
}
