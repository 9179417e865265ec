package dev.forkline.kernel;

/**
 * Bits of an event's flags word. Bit 2 is the store's own (it marks the events of a {@link Batch} in the journal):
 * an append ignores it and {@link EventView#flags()} leaves it out.
 */
public final class EventFlags
{
    /** The append is a commit point: it returns only when the event is durable, as {@link BranchWriter#commit()}. */
    public static final int COMMIT = 1;

    /** The event was imported from another recorder's file rather than recorded live. */
    public static final int IMPORTED = 1 << 1;

    private EventFlags()
    {
    }
}
