package dev.forkline.kernel.export;

/**
 * Counts the changes of one session's lines as they are rendered ({@link ExportChanges}), each change of an event
 * once: a turn remembers which changes of it were counted. One per session writer, reset for each session.
 */
final class ChangeTally
{
    static final int FILLED = 1;
    static final int DROPPED = 2;
    static final int MERGED = 4;
    static final int TEXT_DROPPED = 8;

    private long filled;
    private long renamed;
    private long relinked;
    private long dropped;
    private long merged;
    private long textsDropped;

    void reset()
    {
        filled = 0;
        renamed = 0;
        relinked = 0;
        dropped = 0;
        merged = 0;
        textsDropped = 0;
    }

    /**
     * Counts the change {@code kind} of {@code turn} unless it was counted already.
     */
    void note(final Turn turn, final int kind)
    {
        if ((turn.counted & kind) != 0)
        {
            return;
        }
        turn.counted |= kind;
        switch (kind)
        {
            case FILLED -> filled++;
            case DROPPED -> dropped++;
            case MERGED -> merged++;
            case TEXT_DROPPED -> textsDropped++;
            default -> throw new IllegalArgumentException("unknown change " + kind);
        }
    }

    /**
     * Counts what an assistant or tool message carries from link resolution; call once per rendered turn.
     */
    void linked(final Turn turn)
    {
        for (final ToolCall call : turn.toolCalls)
        {
            renamed += call.renamed() ? 1 : 0;
        }
        relinked += turn.relinked ? 1 : 0;
    }

    ExportChanges snapshot()
    {
        return new ExportChanges(filled, renamed, relinked, dropped, merged, textsDropped);
    }
}
