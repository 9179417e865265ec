package dev.forkline.bench;

import java.nio.file.Path;

/**
 * The sinks by the names the benchmarks take as a {@code sink} parameter. {@link #FORKLINE} is the subject;
 * the others are baselines, and the suite reports Forkline's ratio to each.
 */
public final class Sinks
{
    /** Forkline, default options ({@code OS_CACHE}). */
    public static final String FORKLINE = "forkline";
    /** A raw Chronicle Queue appending the same payload bytes: the ceiling of Forkline's journal. */
    public static final String CHRONICLE = "chronicle";
    /** SQLite in WAL mode, one insert and one commit per event. */
    public static final String SQLITE = "sqlite";
    /** SQLite in WAL mode, one insert per event and a commit per 1,000 events. */
    public static final String SQLITE_BATCH = "sqlite-batch1000";
    /** Jackson JSON lines through a BufferedWriter, one file for all sessions. */
    public static final String JSON_LINES = "jsonl";
    /** One JSON file per event, a directory per session. */
    public static final String JSON_FILES = "json-files";

    private Sinks()
    {
    }

    /**
     * Opens a sink in an empty directory.
     *
     * @throws IllegalArgumentException for an unknown name.
     */
    public static Sink open(final String name, final Path directory)
    {
        switch (name)
        {
            case FORKLINE:
                return new ForklineSink(directory);
            case CHRONICLE:
                return new ChronicleSink(directory);
            case SQLITE:
                return new SqliteSink(directory, 1);
            case SQLITE_BATCH:
                return new SqliteSink(directory, 1000);
            case JSON_LINES:
                return new JsonLinesSink(directory);
            case JSON_FILES:
                return new JsonFilesSink(directory);
            default:
                throw new IllegalArgumentException("unknown sink: " + name);
        }
    }
}
