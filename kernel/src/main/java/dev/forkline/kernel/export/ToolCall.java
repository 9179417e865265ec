package dev.forkline.kernel.export;

/**
 * One tool call of an assistant turn.
 *
 * @param id         the id the export writes: the recorded one, or a new one when an earlier call of the
 *                   example used it (see {@link SessionTree}).
 * @param name       the function name.
 * @param arguments  the arguments as a JSON text.
 * @param recordedId the id as recorded (generated from the step when the recording has none), which results name.
 */
record ToolCall(String id, String name, String arguments, String recordedId)
{
    ToolCall(final String id, final String name, final String arguments)
    {
        this(id, name, arguments, id);
    }

    /**
     * @return the same call under another id.
     */
    ToolCall withId(final String newId)
    {
        return new ToolCall(newId, name, arguments, recordedId);
    }

    boolean renamed()
    {
        return !id.equals(recordedId);
    }
}
