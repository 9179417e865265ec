package dev.forkline.kernel.replay;

/**
 * One tool call a model asked for.
 *
 * @param id        the call id the model gave it, echoed in the {@code tool.result}.
 * @param name      the tool.
 * @param arguments the arguments, a JSON text (as models send them: a string holding JSON).
 */
public record ToolCall(String id, String name, String arguments)
{
    /**
     * @throws IllegalArgumentException when the name or the arguments are null.
     */
    public ToolCall
    {
        if (name == null || arguments == null)
        {
            throw new IllegalArgumentException("a tool call needs a name and arguments: " + name + " " + arguments);
        }
    }
}
