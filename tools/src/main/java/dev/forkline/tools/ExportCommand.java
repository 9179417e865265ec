package dev.forkline.tools;

import dev.forkline.kernel.EventView;
import dev.forkline.kernel.ForklineException;
import dev.forkline.kernel.JournalCursor;
import dev.forkline.kernel.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Export sessions, with their forks, as JSONL.",
        "Format 'events' is the lossless interchange format, in the order the events were written;",
        "importing it and exporting again gives the same bytes."})
final class ExportCommand implements Callable<Integer>
{
    static final List<String> FORMATS = List.of("events");

    @Mixin
    CommonOptions options;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "events",
        description = "Output format (default ${DEFAULT-VALUE}); available: events.")
    String format;

    @Option(names = "--session", paramLabel = "SESSION", description = "Export only this session (repeatable).")
    List<String> sessions;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
        description = "Write to FILE (replaced only once the export is complete) instead of stdout.")
    Path output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException
    {
        if (!FORMATS.contains(format))
        {
            throw new InputException("unknown export format '" + format + "' (available: " + String.join(", ", FORMATS) + ")");
        }
        try (Store store = options.openReadOnly())
        {
            final Set<String> only = sessions == null ? null : new HashSet<>(sessions);
            long total = 0;
            for (final String session : only == null ? store.sessions() : sessions)
            {
                for (final var branch : store.tree(session))
                {
                    total += branch.length() - branch.forkStep() + (branch.isRoot() ? 0 : 1);
                }
            }
            final ProgressBar progress = new ProgressBar(spec.commandLine().getErr(), Terminal.stderr(), "export", total);
            if (output == null)
            {
                final PrintWriter out = spec.commandLine().getOut();
                writeEvents(store, only, out, progress);
                out.flush();
            }
            else
            {
                final Path absolute = output.toAbsolutePath();
                final Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
                try (BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8))
                {
                    writeEvents(store, only, out, progress);
                }
                catch (final IOException | RuntimeException ex)
                {
                    Files.deleteIfExists(partial);
                    throw ex;
                }
                Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            progress.finish();
        }
        return Forkline.EXIT_OK;
    }

    /**
     * Writes the events of the selected sessions (all when {@code only} is null) in journal order, which puts
     * each fork line after the parent's events it shares.
     */
    static long writeEvents(final Store store, final Set<String> only, final Writer out, final ProgressBar progress)
    {
        final StringBuilder line = new StringBuilder(1024);
        long count = 0;
        try (JournalCursor cursor = store.readJournal())
        {
            while (cursor.next())
            {
                if (cursor.problem() != null)
                {
                    throw new ForklineException(ForklineException.Reason.CORRUPT_EVENT,
                        "damaged record at journal index 0x" + Long.toHexString(cursor.journalIndex()) + ": " +
                        cursor.problem() + " (run forkline verify)");
                }
                final EventView event = cursor.event();
                if (only != null && !only.contains(event.session()))
                {
                    continue;
                }
                line.setLength(0);
                EventsLine.append(line, event.session(), event.branch(), event.step(), event.kind(), event.timestampNanos(),
                    event.payloadAsString()).append('\n');
                out.append(line);
                progress.update(++count);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return count;
    }
}
