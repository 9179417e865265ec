package dev.forkline.kernel.export;

/**
 * One tool call of an assistant turn.
 *
 * @param id        the call id (generated from the step when the recording has none).
 * @param name      the function name.
 * @param arguments the arguments as a JSON text.
 */
record ToolCall(String id, String name, String arguments)
{
}
