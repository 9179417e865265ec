package dev.forkline.tools;

import dev.forkline.kernel.ForklineException;
import dev.forkline.kernel.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "import", mixinStandardHelpOptions = true,
    description = {"Bring recordings from other agent projects into the store.",
        "Each file is read as a stream, an entry at a time; each event is checked",
        "and written as it is read, into one batch committed after the last file,",
        "so memory does not grow with the input. A failed or interrupted import",
        "(bad input, a full disk, Ctrl-C, a crash) changes nothing, and can be run",
        "again; --dry-run checks the files and writes nothing.",
        "Sessions are named after their file (openai-chat: <file>-<line>),",
        "or by --session."})
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

    @Option(names = "--dry-run",
        description = "Read and check the files as the import would, against the store's sessions when there is a store, "
            + "and write nothing.")
    boolean dryRun;

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
        if (session != null && (files.size() != 1 || !singleDocument()))
        {
            throw new InputException("--session names the session of one swe-agent or openhands file");
        }
        if (session != null && (session.length() > 128 || !SessionNames.sanitise(session).equals(session)))
        {
            throw new InputException("--session: session id '" + session + "' is not [A-Za-z0-9._:-]{1,128}");
        }
        final long startNanos = System.currentTimeMillis() * 1_000_000L;
        // a single-document format is read twice: first to check it and find what its first event needs
        final long total = totalBytes() * (singleDocument() ? 2 : 1);
        final ProgressBar progress = new ProgressBar(spec.commandLine().getErr(), Terminal.stderr(),
            dryRun ? "check" : "import", total, true);
        final Path directory = options.directory();
        final Path created = dryRun ? null : outermostMissing(directory);
        final long events;
        final List<String> sessions;
        try
        {
            try (Store store = dryRun ? null : options.openForWriting();
                 ImportSink sink = new ImportSink(store, store != null ? new HashSet<>(store.sessions()) : storedSessions(directory)))
            {
                final EventsReader eventsReader = new EventsReader(sink);
                for (final Path file : files)
                {
                    readFile(file, sink, eventsReader, startNanos, progress);
                }
                sink.commit();
                events = sink.events();
                sessions = sink.sessions();
            }
        }
        catch (final RuntimeException | Error ex)
        {
            if (created != null)
            {
                removeQuietly(created); // the import created the store: it leaves none, as there was none
            }
            throw ex;
        }
        finally
        {
            progress.finish();
        }
        final PrintWriter out = spec.commandLine().getOut();
        out.println((dryRun ? "checked " : "imported ") + events + " events in " + sessions.size() + " sessions: " +
            String.join(", ", sessions) + (dryRun ? " (nothing written)" : ""));
        return Forkline.EXIT_OK;
    }

    private boolean singleDocument()
    {
        return "swe-agent".equals(format) || "openhands".equals(format);
    }

    /**
     * @return the bytes of all files.
     * @throws InputException naming the first file that is missing or cannot be read, before anything is read.
     */
    private long totalBytes()
    {
        long total = 0;
        for (final Path file : files)
        {
            try
            {
                total += Files.size(file);
                Files.newInputStream(file).close();
            }
            catch (final IOException ex)
            {
                throw unreadable(file, ex);
            }
        }
        return total;
    }

    private void readFile(final Path file, final ImportSink sink, final EventsReader events, final long startNanos,
        final ProgressBar progress)
    {
        final String source = file.toString();
        try
        {
            switch (format)
            {
                case "events", "openai-chat" ->
                {
                    try (InputText lines = InputText.lines(file, progress))
                    {
                        if ("events".equals(format))
                        {
                            events.read(source, lines);
                        }
                        else
                        {
                            OpenAiChatReader.read(source, SessionNames.fromFile(file), lines, startNanos, sink);
                        }
                    }
                }
                case "swe-agent" -> SweAgentReader.read(file, sessionId(file), startNanos, sink, progress);
                default -> OpenHandsReader.read(file, sessionId(file), sink, progress);
            }
        }
        catch (final IOException ex)
        {
            throw unreadable(file, ex);
        }
    }

    private static InputException unreadable(final Path file, final IOException ex)
    {
        return ex instanceof NoSuchFileException ? new InputException(file + ": no such file") :
            new InputException(file + ": cannot read: " + ex.getMessage());
    }

    private String sessionId(final Path file)
    {
        return session != null ? session : SessionNames.fromFile(file);
    }

    /**
     * @return the sessions of the store a dry run checks against: none when there is no store yet.
     */
    private static Set<String> storedSessions(final Path directory)
    {
        if (!Files.isDirectory(directory))
        {
            return Set.of();
        }
        try (Store store = Store.openReadOnly(directory))
        {
            return new HashSet<>(store.sessions());
        }
        catch (final ForklineException ex)
        {
            if (ex.reason() == ForklineException.Reason.NO_STORE)
            {
                return Set.of(); // a directory the import would make a store of
            }
            throw ex;
        }
    }

    /**
     * @return the outermost directory on the way to the store that does not exist (opening the store creates it), or
     * null when the store's directory exists.
     */
    private static Path outermostMissing(final Path directory)
    {
        Path missing = null;
        for (Path path = directory.toAbsolutePath(); path != null && !Files.exists(path, LinkOption.NOFOLLOW_LINKS);
            path = path.getParent())
        {
            missing = path;
        }
        return missing;
    }

    private static void removeQuietly(final Path directory)
    {
        try (Stream<Path> paths = Files.walk(directory))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException | RuntimeException ignore)
        {
            // best effort: what remains holds nothing the import wrote (its batch was rolled back)
        }
    }
}
