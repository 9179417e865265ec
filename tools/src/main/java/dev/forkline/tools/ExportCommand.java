package dev.forkline.tools;

import dev.forkline.kernel.ForklineException;
import dev.forkline.kernel.Store;
import dev.forkline.kernel.export.BranchSelection;
import dev.forkline.kernel.export.ExportFormat;
import dev.forkline.kernel.export.ExportOptions;
import dev.forkline.kernel.export.ExportSummary;
import dev.forkline.kernel.export.Exporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code forkline export}: writes sessions as training data (see {@code docs/export.md}). Lines go to stdout, or
 * to {@code --output}, which appears only once complete; the summary goes to stderr.
 */
@Command(
    name = "export",
    description = {"Export sessions as training data: chat, preference pairs from forks, or lossless events.",
        "Format 'events' is the lossless interchange format; importing it and exporting again gives the same bytes."},
    mixinStandardHelpOptions = true)
final class ExportCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "events",
        description = "openai-chat, openai-preference, trl-messages, trl-preference, sharegpt or events (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"-o", "--output"}, description = "Write to FILE (replaced only when the export is complete).")
    Path output;

    @Option(names = "--branches", defaultValue = "all", description = "all, leaves or best (default: all).")
    String branches;

    @Option(names = "--session", description = "Export only this session (repeatable).")
    List<String> sessions = new ArrayList<>();

    @Option(names = "--min-reward", description = "Only branches whose outcome reward is at least this.")
    String minReward;

    @Option(names = "--max-reward", description = "Only branches whose outcome reward is at most this.")
    String maxReward;

    @Option(names = "--label", description = "Only branches whose outcome label is this.")
    String label;

    @Option(names = "--since", description = "Only sessions started at or after this instant or date (UTC).")
    String since;

    @Option(names = "--until", description = "Only sessions started before this instant or date (UTC).")
    String until;

    @Option(names = "--tag", description = "Only sessions whose session.start tags have KEY=VALUE (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--no-redact", description = "Keep secrets (API keys, tokens, private keys) as recorded.")
    boolean noRedact;

    @Override
    public Integer call() throws IOException
    {
        final PrintWriter err = spec.commandLine().getErr();
        final ExportOptions options = options();
        try (Store opened = common.openReadOnly())
        {
            final ExportSummary summary = output == null ? toStdout(opened, options) : toFile(opened, options);
            for (final String line : summary.toString().split(System.lineSeparator()))
            {
                err.println(Terminal.escape(line));
            }
            if (summary.damagedRecords() > 0)
            {
                err.println("forkline: the store has " + summary.damagedRecords() + " damaged record" +
                    (summary.damagedRecords() == 1 ? "" : "s") + ": the sessions they belong to are left out of the export " +
                    "(run 'forkline verify' to see them, 'forkline salvage' to copy the sound events into a new store)");
                err.flush();
                return Forkline.EXIT_NEGATIVE;
            }
            err.flush();
            return Forkline.EXIT_OK;
        }
    }

    private ExportOptions options()
    {
        final ExportOptions options = new ExportOptions()
            .format(ExportFormat.fromName(format))
            .branches(BranchSelection.fromName(branches))
            .redact(!noRedact)
            .label(label);
        for (final String session : sessions)
        {
            options.session(session);
        }
        for (final String tag : tags)
        {
            final int equals = tag.indexOf('=');
            if (equals <= 0)
            {
                throw new IllegalArgumentException("--tag needs KEY=VALUE, got '" + tag + "'");
            }
            options.tag(tag.substring(0, equals), tag.substring(equals + 1));
        }
        if (minReward != null)
        {
            options.minReward(number("--min-reward", minReward));
        }
        if (maxReward != null)
        {
            options.maxReward(number("--max-reward", maxReward));
        }
        if (since != null)
        {
            options.since(instant("--since", since));
        }
        if (until != null)
        {
            options.until(instant("--until", until));
        }
        if (output != null && Files.isDirectory(output))
        {
            throw new IllegalArgumentException("--output " + output + " is a directory");
        }
        if (output != null && !Files.isDirectory(output.toAbsolutePath().getParent()))
        {
            throw new IllegalArgumentException("--output " + output + ": directory " + output.toAbsolutePath().getParent() +
                " does not exist");
        }
        return options;
    }

    private OutputStream progress(final OutputStream out)
    {
        return new ProgressOutputStream(out, new ProgressBar(spec.commandLine().getErr(), Terminal.stderr(), "export (bytes)", 0));
    }

    private ExportSummary toStdout(final Store store, final ExportOptions options) throws IOException
    {
        final StdoutStream stdout = Forkline.processStdout();
        if (stdout != null)
        {
            // straight to the file descriptor: a Writer in between would decode and re-encode every byte
            try (OutputStream out = progress(stdout))
            {
                return new Exporter(store, options).export(out);
            }
        }
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final ExportSummary summary = new Exporter(store, options).export(captured);
        spec.commandLine().getOut().print(captured.toString(StandardCharsets.UTF_8));
        spec.commandLine().getOut().flush();
        return summary;
    }

    private ExportSummary toFile(final Store store, final ExportOptions options) throws IOException
    {
        if (Files.exists(output) && !Files.isRegularFile(output))
        {
            // a device or a pipe (/dev/null, /dev/stdout, a FIFO): written as it is, never replaced by a file
            try (OutputStream out = progress(new FileOutputStream(output.toFile(), true)))
            {
                return new Exporter(store, options).export(out);
            }
            catch (final IOException ex)
            {
                throw ForklineException.ioError("cannot write " + output, ex);
            }
        }
        try (PartFile part = PartFile.create(Files.exists(output) ? output.toRealPath() : output.toAbsolutePath()))
        {
            final ExportSummary summary;
            try (OutputStream out = progress(part.open()))
            {
                summary = new Exporter(store, options).export(out);
            }
            part.publish();
            return summary;
        }
        catch (final IOException ex)
        {
            throw ForklineException.ioError("cannot write " + output, ex);
        }
    }

    private static double number(final String option, final String text)
    {
        try
        {
            return Double.parseDouble(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(option + " needs a number, got '" + text + "'");
        }
    }

    private static Instant instant(final String option, final String text)
    {
        try
        {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
        }
        catch (final DateTimeParseException ex)
        {
            throw new IllegalArgumentException(option + " needs an instant (2026-11-29T17:00:00Z) or a date (2026-11-29), got '" +
                text + "'");
        }
    }

}
