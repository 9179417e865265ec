package dev.forkline.bench;

/**
 * Records the events of one session for one thread.
 */
public interface SinkWriter
{
    /**
     * Records one event whose payload is {@code json} (UTF-8 JSON); {@code text} is the same JSON as a string,
     * for sinks that build text.
     */
    void append(byte[] json, String text);

    /**
     * Returns once everything this writer appended is safe against a crash of the process.
     */
    void commit();
}
