package dev.forkline.langchain4j;

/**
 * What a replayed tool throws when the recorded execution failed: its message is the recorded error text, so
 * LangChain4j's error handling turns it into the same tool result the model saw when it was recorded. A custom
 * {@code toolExecutionErrorHandler} gets this exception on replay, not the one the tool threw then.
 */
public final class RecordedToolFailure extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message the recorded error text.
     */
    public RecordedToolFailure(final String message)
    {
        super(message);
    }
}
