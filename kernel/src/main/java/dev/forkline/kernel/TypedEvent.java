package dev.forkline.kernel;

/**
 * An event of a kind the kernel gives meaning to, as a typed value that checks its fields when it is made and
 * writes its own payload: the records of {@code dev.forkline.kernel.replay} ({@code SessionStart}, {@code Message},
 * {@code ModelTurn}, {@code ToolResult.event}, {@code Effect}, {@code Outcome}, {@code Annotation}). Append one with
 * {@link BranchWriter#append(TypedEvent)}, or start a session with {@link Store#startSession(String, TypedEvent)}.
 * <p>
 * For payloads the kernel does not interpret, {@link BranchWriter#append(EventKind, CharSequence)} takes any JSON.
 */
public interface TypedEvent
{
    /**
     * @return the kind of event.
     */
    EventKind kind();

    /**
     * @return the payload, a JSON object text in the shape the kernel reads (see {@code docs/format.md}).
     */
    String toJson();
}
