package dev.forkline.testkit;

/**
 * A tool call, in a request (an assistant message of the conversation) or in a {@link Reply}.
 *
 * @param id        the call id; in a reply, null lets the server give one ({@code call_<turn>_<n>}).
 * @param name      the tool.
 * @param arguments the arguments, a JSON text.
 */
public record ToolCallSpec(String id, String name, String arguments)
{
    /**
     * @throws IllegalArgumentException when the name or the arguments are null.
     */
    public ToolCallSpec
    {
        if (name == null || arguments == null)
        {
            throw new IllegalArgumentException("a tool call needs a name and arguments");
        }
    }
}
