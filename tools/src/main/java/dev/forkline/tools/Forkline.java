package dev.forkline.tools;

import dev.forkline.kernel.ForklineException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The {@code forkline} command: lists, shows, follows, forks, diffs, imports, exports and verifies the
 * sessions of a store, and salvages a damaged one. Exit codes: 0 success, 1 a negative answer ({@code diff} found
 * differences, {@code verify} found damage) or an internal error, 2 bad input or a store that cannot be used.
 */
@Command(
    name = "forkline",
    mixinStandardHelpOptions = true,
    versionProvider = Forkline.Version.class,
    description = "Record, replay, fork and export the sessions of AI agents.",
    subcommands = {
        DemoCommand.class, LsCommand.class, ShowCommand.class, TailCommand.class, TreeCommand.class,
        DiffCommand.class, ForkCommand.class, ImportCommand.class, ExportCommand.class, VerifyCommand.class,
        SalvageCommand.class, StatsCommand.class, ProxyCommand.class, CommandLine.HelpCommand.class })
public final class Forkline implements Runnable
{
    static final int EXIT_OK = 0;
    static final int EXIT_NEGATIVE = 1;
    static final int EXIT_BAD_INPUT = 2;

    private static final int MAX_MESSAGE_LENGTH = 1000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static volatile boolean processStdout;

    public static void main(final String[] args)
    {
        processStdout = true;
        final PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        final PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err));
    }

    /**
     * @return true when the command's output writer is the process's stdout, so bulk output may go to the file
     * descriptor directly.
     */
    static boolean writesToProcessStdout()
    {
        return processStdout;
    }

    /**
     * Runs one command line and returns its exit code, writing to the given streams.
     */
    static int run(final String[] args, final PrintWriter out, final PrintWriter err)
    {
        final boolean debug = Arrays.asList(args).contains("--debug");
        final CommandLine cli = new CommandLine(new Forkline());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, ignored) ->
        {
            final String name = ex.getCommandLine().getCommandName();
            err.println("forkline: " + ex.getMessage() + " (see 'forkline " +
                ("forkline".equals(name) ? "" : name + " ") + "--help')");
            return EXIT_BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, command, parseResult) -> failure(ex, debug, err));
        try
        {
            return cli.execute(args);
        }
        finally
        {
            out.flush();
            err.flush();
        }
    }

    private static int failure(final Exception ex, final boolean debug, final PrintWriter err)
    {
        final boolean badInput = ex instanceof IllegalArgumentException || ex instanceof ForklineException;
        final String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        err.println("forkline: " + (badInput ? "" : "internal error: ") + firstLine(message));
        if (debug)
        {
            ex.printStackTrace(err);
        }
        return badInput ? EXIT_BAD_INPUT : EXIT_NEGATIVE;
    }

    /**
     * The first line of a message, cut short: a message may quote hostile input.
     */
    private static String firstLine(final String message)
    {
        final int newline = message.indexOf('\n');
        final int end = Math.min(newline < 0 ? message.length() : newline, MAX_MESSAGE_LENGTH);
        return end < message.length() && end == MAX_MESSAGE_LENGTH ? message.substring(0, end) + "…" : message.substring(0, end);
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            final String version = Forkline.class.getPackage().getImplementationVersion();
            return new String[] {"forkline " + (version == null ? "0.1.0-SNAPSHOT" : version)};
        }
    }
}
