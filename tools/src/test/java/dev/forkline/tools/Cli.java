package dev.forkline.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs forkline commands as a user would: in this JVM, or in a child JVM with the launcher's flags.
 */
final class Cli
{
    /** The JVM flags of the kernel, for child JVMs. */
    static final List<String> JVM_FLAGS = dev.forkline.kernel.Store.requiredJvmFlags();

    record Result(int code, String out, String err)
    {
        List<String> lines()
        {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }
    }

    private Cli()
    {
    }

    static Result run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = Forkline.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    static Process start(final String... args) throws IOException
    {
        return start(java.util.Map.of(), args);
    }

    static Process start(final java.util.Map<String, String> environment, final String... args) throws IOException
    {
        return start(List.of(), environment, args);
    }

    /**
     * @param properties more JVM options for the child, such as {@code -Dforkline.tty.stderr=true}.
     */
    static Process start(final List<String> properties, final java.util.Map<String, String> environment, final String... args)
        throws IOException
    {
        final ProcessBuilder builder = new ProcessBuilder(command(properties, args));
        builder.environment().putAll(environment);
        return builder.start();
    }

    /**
     * @return the command line that runs {@code forkline args} in a child JVM, for a {@link ProcessBuilder} of one's own.
     */
    static List<String> command(final String... args)
    {
        return command(List.of(), args);
    }

    private static List<String> command(final List<String> properties, final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(properties);
        command.add("-Dslf4j.internal.verbosity=ERROR");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Forkline.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    static BufferedReader stdout(final Process process)
    {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }
}
