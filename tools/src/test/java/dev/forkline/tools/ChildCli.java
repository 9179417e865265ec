package dev.forkline.tools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs a forkline command to its end in a child JVM with more JVM options (a small heap, the launcher's tty
 * properties), and gives its exit code and output.
 */
final class ChildCli
{
    private ChildCli()
    {
    }

    static Cli.Result run(final List<String> jvmOptions, final long timeoutMinutes, final String... args)
        throws IOException, InterruptedException
    {
        final Process process = Cli.start(jvmOptions, Map.of(), args);
        process.getOutputStream().close();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final Thread drain = new Thread(() -> copy(process.getErrorStream(), err), "child-stderr");
        drain.start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        final boolean ended = process.waitFor(timeoutMinutes, TimeUnit.MINUTES);
        if (!ended)
        {
            process.destroyForcibly().waitFor();
        }
        drain.join();
        assertTrue(ended, "the command ends within " + timeoutMinutes + " minutes: " + String.join(" ", args));
        return new Cli.Result(process.exitValue(), out, err.toString(StandardCharsets.UTF_8));
    }

    private static void copy(final InputStream in, final ByteArrayOutputStream out)
    {
        try (in)
        {
            in.transferTo(out);
        }
        catch (final IOException ignore)
        {
            // the process ended
        }
    }
}
