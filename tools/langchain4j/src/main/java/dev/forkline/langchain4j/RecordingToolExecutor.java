package dev.forkline.langchain4j;

import dev.forkline.kernel.replay.ToolResult;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;

/**
 * Sends a tool execution through the session. Live, the wrapped executor runs and its result text is recorded;
 * a tool that throws is recorded as an error with the text LangChain4j's default error handler gives the model
 * (the message, or the exception's class when it has none), and the exception goes on to LangChain4j as before.
 * On replay the recorded text comes back without running the tool; a recorded error is thrown as a
 * {@link RecordedToolFailure}, so the error handling runs as it did.
 * <p>
 * Not kept: the Java object a tool returned ({@code ToolExecutionResult.result()}) and non-text result contents.
 */
final class RecordingToolExecutor implements ToolExecutor
{
    private final ForklineSession session;
    private final ToolExecutor delegate;

    private RecordingToolExecutor(final ForklineSession session, final ToolExecutor delegate)
    {
        this.session = session;
        this.delegate = delegate;
    }

    static ToolExecutor wrap(final ForklineSession session, final ToolExecutor executor)
    {
        if (executor == null)
        {
            throw new IllegalArgumentException("the tool executor to wrap must not be null");
        }
        if (executor instanceof RecordingToolExecutor recording && recording.session == session)
        {
            return executor;
        }
        return new RecordingToolExecutor(session, executor);
    }

    @Override
    public String execute(final ToolExecutionRequest request, final Object memoryId)
    {
        return executeWithContext(request, InvocationContext.builder().chatMemoryId(memoryId).build()).resultText();
    }

    @Override
    public ToolExecutionResult executeWithContext(final ToolExecutionRequest request, final InvocationContext context)
    {
        final ToolExecutionResult[] live = new ToolExecutionResult[1];
        final RuntimeException[] thrown = new RuntimeException[1];
        final ToolResult result = session.tool(Turns.toolCall(request), call ->
        {
            try
            {
                live[0] = delegate.executeWithContext(request, context);
                final String text = live[0].resultText();
                return new ToolResult(text == null ? "" : text, live[0].isError());
            }
            catch (final RuntimeException ex)
            {
                thrown[0] = ex;
                return new ToolResult(errorText(ex), true);
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
            throw new RecordedToolFailure(result.content());
        }
        return ToolExecutionResult.builder().resultText(result.content()).build();
    }

    /**
     * The text LangChain4j's default error handler gives: of the cause when there is one (its tool executors
     * wrap what the method threw), its message, or its class name.
     */
    private static String errorText(final RuntimeException ex)
    {
        final Throwable error = ex.getCause() != null ? ex.getCause() : ex;
        final String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getName() : message;
    }
}
