package dev.forkline.tools;

import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A store that is not there yet, not there at all, or not readable: each says so, and what it is.
 */
class StoreAccessTest
{
    /** Runs a child without the capabilities that let root pass over file permissions. */
    private static final List<String> WITHOUT_ROOT_OVERRIDES =
        List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search");

    @TempDir
    Path dir;

    private Path record()
    {
        final Path store = dir.resolve("store");
        try (Store writer = Store.open(store))
        {
            writer.startSession("s").append(EventKind.USER, "{\"content\":\"hello\"}");
        }
        return store;
    }

    @Test
    void tailFollowWaitsForAStoreThatDoesNotExistYet() throws Exception
    {
        final Path store = dir.resolve("later");
        final Process tail = Cli.start("tail", "-f", "--store", store.toString());
        try
        {
            final BufferedReader err = new BufferedReader(new InputStreamReader(tail.getErrorStream(), StandardCharsets.UTF_8));
            assertEquals("forkline: no Forkline store at " + store + " yet; waiting for one to be created (Ctrl-C to stop)",
                err.readLine());
            assertTrue(tail.isAlive());
            try (Store writer = Store.open(store))
            {
                final BranchWriter session = writer.startSession("new");
                session.append(EventKind.USER, "{\"content\":\"arrived\"}");
                writer.commit();
                final BufferedReader out = Cli.stdout(tail);
                assertTrue(out.readLine().startsWith("new@0  session.start "));
                final String user = out.readLine();
                assertTrue(user.startsWith("new@1  user ") && user.endsWith("\"arrived\""), user);
                session.append(EventKind.USER, "{\"content\":\"and more\"}");
                writer.commit();
                assertTrue(out.readLine().endsWith("\"and more\""));
            }
            tail.getInputStream().close();
            assertTrue(tail.waitFor(30, TimeUnit.SECONDS));
            assertEquals(141, tail.exitValue());
        }
        finally
        {
            tail.destroyForcibly();
        }
    }

    @Test
    void forkOnAPathThatHoldsNoStoreSaysSoAndCreatesNothing()
    {
        final Path none = dir.resolve("none");
        final Cli.Result fork = Cli.run("fork", "s@1", "--store", none.toString());
        assertEquals(2, fork.code());
        assertEquals("forkline: no Forkline store at " + none + "\n", fork.err());
        assertFalse(Files.exists(none), "nothing is created");

        final Path file = dir.resolve("file");
        assertDoesNotThrow(() -> Files.writeString(file, "not a store"));
        final Cli.Result onFile = Cli.run("fork", "s@1", "--store", file.toString());
        assertEquals(2, onFile.code());
        assertEquals("forkline: no Forkline store at " + file + " (it is a file)\n", onFile.err());
    }

    @Test
    void aLockThatCannotBeTakenSaysWhy() throws IOException
    {
        final Path store = record();
        final Path lock = store.resolve("forkline.lock");
        Files.delete(lock);
        Files.createDirectory(lock);
        final Cli.Result fork = Cli.run("fork", "s@1", "--store", store.toString());
        assertEquals(3, fork.code(), fork.err());
        assertEquals("forkline: cannot lock store " + store + ": " + lock + ": Is a directory\n", fork.err());

        try (Store writer = Store.open(dir.resolve("busy")))
        {
            writer.startSession("b");
            writer.commit();
            final Cli.Result busy = Cli.run("fork", "b@1", "--store", dir.resolve("busy").toString());
            assertEquals(2, busy.code());
            assertTrue(busy.err().matches("forkline: store .* is being written by another writer \\(pid \\d+\\); .*\n"),
                busy.err());
        }
    }

    @Test
    void aStoreThatCannotBeReadForLackOfPermissionSaysSoWithTheReason() throws Exception
    {
        final boolean root = "root".equals(System.getProperty("user.name"));
        assumeTrue(!root || canRun(WITHOUT_ROOT_OVERRIDES),
            "root reads any file; without setpriv to drop CAP_DAC_OVERRIDE, permissions cannot be denied here");
        final Path store = record();
        final List<String> prefix = root ? WITHOUT_ROOT_OVERRIDES : List.of();
        try
        {
            setMode(store, "---------");
            assertFailure(prefix, "forkline: cannot read store " + store + ": " + store.resolve("journal") +
                ": Permission denied", "ls", "--store", store.toString());
            setMode(store, "rwxr-xr-x");

            setMode(store.resolve("journal"), "---------");
            assertFailure(prefix, "forkline: cannot read store " + store + ": " + store.resolve("journal") +
                ": Permission denied", "ls", "--store", store.toString());
            setMode(store.resolve("journal"), "rwxr-xr-x");

            final File journal = store.resolve("journal").toFile().listFiles((d, name) -> name.endsWith(".cq4"))[0];
            setMode(journal.toPath(), "---------");
            assertFailure(prefix, "forkline: cannot read journal file " + journal + ": " + journal + ": Permission denied",
                "ls", "--store", store.toString());
            setMode(journal.toPath(), "rw-r--r--");

            setMode(store.resolve("forkline.lock"), "---------");
            assertFailure(prefix, "forkline: cannot lock store " + store + ": " + store.resolve("forkline.lock") +
                ": Permission denied", "fork", "s@1", "--store", store.toString());
        }
        finally
        {
            setMode(store, "rwxr-xr-x");
            setMode(store.resolve("journal"), "rwxr-xr-x");
            setMode(store.resolve("forkline.lock"), "rw-r--r--");
        }
    }

    private static void assertFailure(final List<String> prefix, final String message, final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>(prefix);
        command.addAll(Cli.command(args));
        final Process process = new ProcessBuilder(command).start();
        final String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(message + "\n", err, String.join(" ", args));
        assertEquals(3, process.exitValue(), "permission denied is a failure of the system: " + err);
    }

    private static void setMode(final Path path, final String mode) throws IOException
    {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }

    private static boolean canRun(final List<String> prefix)
    {
        try
        {
            final List<String> command = new ArrayList<>(prefix);
            command.add("true");
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        }
        catch (final IOException | InterruptedException ex)
        {
            return false;
        }
    }
}
