package dev.forkline.junit;

import dev.forkline.kernel.Store;
import dev.forkline.kernel.export.ExportFormat;
import dev.forkline.kernel.export.ExportOptions;
import dev.forkline.kernel.export.Exporter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a test's recording lives, whether a run records, and how a recording is written and read.
 * <p>
 * Written with the kernel's {@code events} export, one session after another in the order of their ids, with
 * secrets redacted as the export does by default, and each event's time replaced by its step in microseconds
 * since the epoch: recording an unchanged agent again gives the same file, so a change of the agent shows in a
 * review as a change of its recording. The file is written whole to a temporary file and moved into place.
 */
final class RecordingFiles
{
    static final String RECORD_PROPERTY = "forkline.record";
    static final String RECORD_VARIABLE = "FORKLINE_RECORD";
    static final String DIRECTORY_PROPERTY = "forkline.recordings";
    private static final Pattern TS = Pattern.compile("\"ts\":\"[^\"]*\"");
    private static final Pattern STEP = Pattern.compile("\"step\":(\\d+)");

    private RecordingFiles()
    {
    }

    static boolean recordMode()
    {
        return isTrue(System.getProperty(RECORD_PROPERTY)) || isTrue(System.getenv(RECORD_VARIABLE));
    }

    private static boolean isTrue(final String value)
    {
        return value != null && (value.equals("1") || value.toLowerCase(Locale.ROOT).equals("true"));
    }

    static Path file(final String directory, final Class<?> testClass, final String method)
    {
        final String base = System.getProperty(DIRECTORY_PROPERTY, directory);
        return Path.of(base).resolve(testClass.getSimpleName()).resolve(method + ".events.jsonl");
    }

    static String howToRecord(final String test)
    {
        return "to record it, run the test live once with -D" + RECORD_PROPERTY + "=true (Maven: mvn test -D" + RECORD_PROPERTY +
            "=true -Dtest=" + test + ") or with the environment variable " + RECORD_VARIABLE + "=true, and commit the file";
    }

    /**
     * @return the recording's text: the file, or else the classpath resource {@code forkline/<Class>/<method>.events.jsonl}
     * (a run from another working directory); null when neither exists.
     */
    static String read(final Path file, final Class<?> testClass, final String method)
    {
        try
        {
            if (Files.isRegularFile(file))
            {
                return Files.readString(file, StandardCharsets.UTF_8);
            }
            try (InputStream in = testClass.getClassLoader().getResourceAsStream(
                "forkline/" + testClass.getSimpleName() + "/" + method + ".events.jsonl"))
            {
                return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the recording " + file + ": " + ex.getMessage(), ex);
        }
    }

    static void write(final Store store, final List<String> sessions, final Path file)
    {
        final List<String> ordered = new ArrayList<>(sessions);
        ordered.sort(null);
        store.commit();   // the last appends may still be on their way to the journal the export reads
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final String session : ordered)
        {
            new Exporter(store, new ExportOptions().format(ExportFormat.EVENTS).session(session)).export(out);
        }
        final StringBuilder text = new StringBuilder();
        for (final String line : out.toString(StandardCharsets.UTF_8).split("\n"))
        {
            if (!line.isEmpty())
            {
                text.append(stableTime(line)).append('\n');
            }
        }
        try
        {
            Files.createDirectories(file.toAbsolutePath().getParent());
            final Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write the recording " + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * The export writes the envelope's {@code step} before its {@code ts}, and both before {@code data}.
     */
    private static String stableTime(final String line)
    {
        final Matcher step = STEP.matcher(line);
        if (!step.find())
        {
            return line;
        }
        final long micros = Long.parseLong(step.group(1));
        final String ts = java.time.Instant.EPOCH.plusNanos(micros * 1_000L).toString();
        final Matcher ts0 = TS.matcher(line);
        return ts0.find() ? line.substring(0, ts0.start()) + "\"ts\":\"" + ts + "\"" + line.substring(ts0.end()) : line;
    }
}
