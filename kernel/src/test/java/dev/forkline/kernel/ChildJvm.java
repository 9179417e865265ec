package dev.forkline.kernel;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Starts a main class of the test classpath in a child JVM, for tests that need a second process.
 */
final class ChildJvm
{
    private ChildJvm()
    {
    }

    static String classPath(final Predicate<String> keep)
    {
        final List<String> entries = new ArrayList<>();
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
        {
            if (keep.test(entry))
            {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    static ProcessBuilder builder(final List<String> jvmArgs, final String classPath, final Class<?> main, final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classPath);
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** Runs to completion and returns exit code and output (stdout and stderr merged). */
    static Result run(final ProcessBuilder builder, final long timeoutSeconds) throws IOException, InterruptedException
    {
        final Process process = builder.redirectErrorStream(true).start();
        final byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError("child JVM did not finish in " + timeoutSeconds + " s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    record Result(int exitCode, String output)
    {
    }
}
