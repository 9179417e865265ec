package dev.forkline.tools;

import dev.forkline.kernel.ForklineException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The {@code forkline} command: lists, shows, follows, forks, diffs, imports, exports and verifies the
 * sessions of a store, and salvages a damaged one. Exit codes: 0 success; 1 a negative answer ({@code diff} found
 * differences, {@code verify} found damage, {@code export} left out sessions with damaged records); 2 a usage or
 * input error (a bad argument or file, a missing or unusable store, an unknown branch); 3 a failure of the system or
 * of Forkline itself (an I/O error, a full disk, permission denied, an internal error); 141 stdout closed by its
 * reader (a broken pipe), quietly, as the status of a command that SIGPIPE ended.
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
    static final int EXIT_FAILURE = 3;
    /** 128 + SIGPIPE: what a shell reports for coreutils ended by a closed pipe. */
    static final int EXIT_BROKEN_PIPE = 141;

    private static final int MAX_MESSAGE_LENGTH = 1000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static volatile StdoutStream processStdout;

    public static void main(final String[] args)
    {
        final StdoutStream stdout = new StdoutStream();
        processStdout = stdout;
        final PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
        final PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = run(args, out, err);
        if (stdout.failure() != null && (code == EXIT_OK || code == EXIT_NEGATIVE))
        {
            // the command did not see it fail: its output was written through a PrintWriter, which keeps quiet
            code = stdout.closedByReader() ? EXIT_BROKEN_PIPE : stdoutFailed(stdout, err);
        }
        System.exit(code);
    }

    /**
     * @return the process's stdout when the command's output writer is it, so bulk output may go to the file
     * descriptor directly; else null.
     */
    static StdoutStream processStdout()
    {
        return processStdout;
    }

    /**
     * Flushes {@code out} and stops the command when its output cannot be written any more: the reader of the pipe
     * went away, or a write failed. For commands that go on until stopped ({@code tail -f}).
     *
     * @throws StdoutClosed when that is so.
     */
    static void checkOutput(final PrintWriter out)
    {
        final StdoutStream stdout = processStdout;
        if (out.checkError() || stdout != null && StdoutStream.readerGone())
        {
            throw new StdoutClosed();
        }
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
            err.println("forkline: " + oneLine(ex.getMessage()) + " (see 'forkline " +
                ("forkline".equals(name) ? "" : name + " ") + "--help')");
            return EXIT_BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, command, parseResult) -> failure(ex, debug, err));
        try
        {
            return cli.execute(args);
        }
        catch (final VirtualMachineError ex)
        {
            // out of memory, a stack overflow: picocli hands only exceptions to the handler
            return failure(ex, debug, err);
        }
        finally
        {
            out.flush();
            err.flush();
        }
    }

    /**
     * Reports a command's failure on one line, and picks the exit code by what failed: the input (2), or the system
     * or Forkline itself (3). A closed stdout ends the command quietly.
     */
    private static int failure(final Throwable ex, final boolean debug, final PrintWriter err)
    {
        final StdoutStream stdout = processStdout;
        if (stdout != null && (ex instanceof StdoutClosed || StdoutStream.isBrokenPipe(ex)) && stdout.closedByReader())
        {
            return EXIT_BROKEN_PIPE;
        }
        final int code;
        final String message;
        if (ex instanceof StdoutClosed)
        {
            return stdout == null ? EXIT_FAILURE : stdoutFailed(stdout, err);
        }
        else if (ex instanceof IllegalArgumentException)
        {
            code = EXIT_BAD_INPUT;
            message = ex.getMessage();
        }
        else if (ex instanceof ForklineException forkline)
        {
            code = isInputError(forkline.reason()) ? EXIT_BAD_INPUT : EXIT_FAILURE;
            message = ex.getMessage();
        }
        else if (ex instanceof IOException || ex instanceof UncheckedIOException)
        {
            code = EXIT_FAILURE;
            message = ForklineException.ioError("I/O error",
                ex instanceof UncheckedIOException unchecked ? unchecked.getCause() : (IOException)ex).getMessage();
        }
        else if (ex instanceof OutOfMemoryError)
        {
            code = EXIT_FAILURE;
            message = "out of memory (" + ex.getMessage() + "); give Java more heap with FORKLINE_JAVA_OPTS=-Xmx…";
        }
        else
        {
            code = EXIT_FAILURE;
            message = "internal error: " + (ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getClass().getSimpleName() +
                ": " + ex.getMessage());
        }
        err.println("forkline: " + oneLine(message == null ? ex.getClass().getSimpleName() : message));
        if (debug)
        {
            ex.printStackTrace(err);
        }
        return code;
    }

    /**
     * @return true for the failures that come from what the command was given (its arguments, its files, its store),
     * not from the system or from Forkline.
     */
    private static boolean isInputError(final ForklineException.Reason reason)
    {
        return switch (reason)
        {
            case NO_STORE, UNKNOWN_BRANCH, STEP_OUT_OF_RANGE, CORRUPT_EVENT, CORRUPT_JOURNAL, STORE_LOCKED, READ_ONLY -> true;
            case MISSING_JVM_FLAGS, STORE_CLOSED, DISK_FULL, IO_ERROR -> false;
        };
    }

    private static int stdoutFailed(final StdoutStream stdout, final PrintWriter err)
    {
        err.println("forkline: " + oneLine(stdout.failure() == null ? "cannot write to stdout" :
            ForklineException.ioError("cannot write to stdout", stdout.failure()).getMessage()));
        err.flush();
        return EXIT_FAILURE;
    }

    /**
     * A message on one line, cut short and with its control characters escaped: a message may quote hostile input.
     */
    private static String oneLine(final String message)
    {
        final String cut = message.length() > MAX_MESSAGE_LENGTH ? message.substring(0, MAX_MESSAGE_LENGTH) + "…" : message;
        return Terminal.escape(cut);
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
