package dev.forkline.bench;

import dev.forkline.kernel.Durability;

import java.nio.file.Path;

/**
 * The sinks by the names the benchmarks take as a {@code sink} parameter. {@link #FORKLINE} and
 * {@link #FORKLINE_SYNC} are the subject; the others are baselines, and the suite reports Forkline's ratio to each.
 * The {@code -sync} sinks keep a commit on disk; the others keep it in the page cache.
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
    /** Forkline with {@code Durability.SYNC}: a commit returns once msync has forced the journal to disk. */
    public static final String FORKLINE_SYNC = "forkline-sync";
    /** SQLite in WAL mode with {@code synchronous=FULL}: every commit is fsynced. */
    public static final String SQLITE_SYNC = "sqlite-sync";
    /** JSON lines whose commit flushes and then fsyncs the file. */
    public static final String JSON_LINES_SYNC = "jsonl-sync";

    private Sinks()
    {
    }

    /**
     * @return true for a Forkline sink, false for a baseline.
     */
    public static boolean isForkline(final String name)
    {
        return name.startsWith(FORKLINE);
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
                return new ForklineSink(directory, Durability.OS_CACHE);
            case FORKLINE_SYNC:
                return new ForklineSink(directory, Durability.SYNC);
            case CHRONICLE:
                return new ChronicleSink(directory);
            case SQLITE:
                return new SqliteSink(directory, 1, false);
            case SQLITE_BATCH:
                return new SqliteSink(directory, 1000, false);
            case SQLITE_SYNC:
                return new SqliteSink(directory, 1, true);
            case JSON_LINES:
                return new JsonLinesSink(directory, false);
            case JSON_LINES_SYNC:
                return new JsonLinesSink(directory, true);
            case JSON_FILES:
                return new JsonFilesSink(directory);
            default:
                throw new IllegalArgumentException("unknown sink: " + name);
        }
    }
}
