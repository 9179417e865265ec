package dev.forkline.springai;

import dev.forkline.kernel.replay.ToolResult;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.execution.ToolExecutionException;
import org.springframework.ai.tool.metadata.ToolMetadata;

/**
 * Sends a tool callback through the session. Live, the callback runs and its result is recorded; a
 * {@link ToolExecutionException} (what Spring AI's method tools throw for a failing method) is recorded as an
 * error with the text Spring AI's default exception processor gives the model, and goes on to the processor as
 * before. On replay the recorded text comes back without running the tool, and a recorded error is thrown again
 * as a {@link ToolExecutionException} whose cause is a {@link RecordedToolFailure} with that text.
 */
final class RecordingToolCallback implements ToolCallback
{
    private final ForklineSession session;
    private final ToolCallback delegate;

    RecordingToolCallback(final ForklineSession session, final ToolCallback delegate)
    {
        this.session = session;
        this.delegate = delegate;
    }

    @Override
    public ToolDefinition getToolDefinition()
    {
        return delegate.getToolDefinition();
    }

    @Override
    public ToolMetadata getToolMetadata()
    {
        return delegate.getToolMetadata();
    }

    @Override
    public String call(final String toolInput)
    {
        return call(toolInput, null);
    }

    @Override
    public String call(final String toolInput, final ToolContext toolContext)
    {
        final String[] live = new String[1];
        final ToolExecutionException[] thrown = new ToolExecutionException[1];
        final ToolResult result = session.tool(getToolDefinition().name(), toolInput, call ->
        {
            try
            {
                live[0] = delegate.call(toolInput, toolContext);
                return new ToolResult(live[0] == null ? "" : live[0], false);
            }
            catch (final ToolExecutionException ex)
            {
                thrown[0] = ex;
                final String message = ex.getMessage();
                return new ToolResult(message == null || message.isBlank() ? "Exception occurred in tool: " + getToolDefinition().name() +
                    " (" + (ex.getCause() == null ? ex : ex.getCause()).getClass().getSimpleName() + ")" : message, true);
            }
        });
        if (thrown[0] != null)
        {
            throw thrown[0];
        }
        if (live[0] != null)
        {
            return live[0];
        }
        if (result.error())
        {
            throw new ToolExecutionException(getToolDefinition(), new RecordedToolFailure(result.content()));
        }
        return result.content();
    }
}
