package dev.forkline.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forkline.kernel.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "import", mixinStandardHelpOptions = true,
    description = {"Bring recordings from other agent projects into the store.",
        "Every file is read and checked before anything is written, and the import is written as one batch:",
        "a failed or interrupted import (bad input, a full disk, Ctrl-C, a crash) changes nothing, and can be run again.",
        "Sessions are named after their file (openai-chat: <file>-<line>), or by --session."})
final class ImportCommand implements Callable<Integer>
{
    static final List<String> FORMATS = List.of("events", "swe-agent", "openhands", "openai-chat");

    @Mixin
    CommonOptions options;

    @Option(names = "--format", required = true, paramLabel = "FORMAT",
        description = "One of: events, swe-agent, openhands, openai-chat.")
    String format;

    @Option(names = "--session", paramLabel = "ID",
        description = "The session id, for one swe-agent or openhands file (default: the file name).")
    String session;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "The files to import.")
    List<Path> files;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        if (!FORMATS.contains(format))
        {
            throw new InputException("unknown import format '" + format + "' (expected one of: " + String.join(", ", FORMATS) + ")");
        }
        if (session != null && (files.size() != 1 || !("swe-agent".equals(format) || "openhands".equals(format))))
        {
            throw new InputException("--session names the session of one swe-agent or openhands file");
        }
        final long startNanos = System.currentTimeMillis() * 1_000_000L;
        final ImportPlan plan = new ImportPlan();
        final EventsReader events = new EventsReader(plan);
        for (final Path file : files)
        {
            readFile(file, plan, events, startNanos);
        }
        final PrintWriter out = spec.commandLine().getOut();
        try (Store store = options.openForWriting())
        {
            plan.checkNew(store);
            final ProgressBar progress = new ProgressBar(spec.commandLine().getErr(), Terminal.stderr(), "import", plan.size());
            plan.write(store, progress);
            progress.finish();
        }
        out.println("imported " + plan.size() + " events in " + plan.sessions().size() + " sessions: " +
            String.join(", ", plan.sessions()));
        return Forkline.EXIT_OK;
    }

    private void readFile(final Path file, final ImportPlan plan, final EventsReader events, final long startNanos)
    {
        final String source = file.toString();
        try
        {
            switch (format)
            {
                case "events", "openai-chat" ->
                {
                    try (InputText lines = InputText.lines(file))
                    {
                        if ("events".equals(format))
                        {
                            events.read(source, lines);
                        }
                        else
                        {
                            OpenAiChatReader.read(source, SessionNames.fromFile(file), lines, startNanos, plan);
                        }
                    }
                }
                case "swe-agent" -> SweAgentReader.read(source, parse(file), sessionId(file), startNanos, plan);
                default -> OpenHandsReader.read(source, parse(file), sessionId(file), plan);
            }
        }
        catch (final NoSuchFileException ex)
        {
            throw new InputException(source + ": no such file");
        }
        catch (final IOException ex)
        {
            throw new InputException(source + ": cannot read: " + ex.getMessage());
        }
    }

    private String sessionId(final Path file)
    {
        return session != null ? session : SessionNames.fromFile(file);
    }

    private static JsonNode parse(final Path file) throws IOException
    {
        return Json.readDocument(file.toString(), InputText.document(file));
    }
}
