package dev.forkline.bench;

/**
 * Somewhere events are recorded: Forkline, or one of the stores users would pick instead. Every sink is given
 * the same payload bytes and keeps them with the same durability: safe against a crash of the process once
 * {@link SinkWriter#commit()} returns (the page cache, not the disk).
 * <p>
 * Threading: {@link #writer} may be called from any thread; each {@link SinkWriter} belongs to one thread.
 */
public interface Sink extends AutoCloseable
{
    /**
     * @param session the session this writer records; one writer per producing thread.
     * @return a writer for one thread.
     */
    SinkWriter writer(String session);

    @Override
    void close();
}
