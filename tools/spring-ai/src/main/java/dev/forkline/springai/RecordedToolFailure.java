package dev.forkline.springai;

/**
 * The cause of the {@code ToolExecutionException} a replayed tool callback throws when the recorded execution
 * failed: its message is the recorded error text, so Spring AI's exception processor turns it into the tool
 * result the model saw when it was recorded.
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
