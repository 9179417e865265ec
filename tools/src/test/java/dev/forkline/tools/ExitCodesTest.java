package dev.forkline.tools;

import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Exit codes a script can trust: 2 for what the command was given, 3 for a failure of the system, 141 and no word when
 * the reader of stdout went away, 1 when an export had to leave sessions out.
 */
class ExitCodesTest
{
    private static final Path FULL = Path.of("/dev/full");

    @TempDir
    Path dir;

    private Path record(final int events, final int payloadBytes)
    {
        final Path store = dir.resolve("store");
        try (Store writer = Store.open(store))
        {
            final String pad = "x".repeat(payloadBytes);
            for (int i = 0; i < events; i += 10)
            {
                final BranchWriter session = writer.startSession("s" + i, "{\"agent\":\"a\"}");
                for (int j = 1; j < 10; j++)
                {
                    session.append(j % 2 == 1 ? EventKind.USER : EventKind.MODEL_RESPONSE, "{\"content\":\"" + j + pad + "\"}");
                }
            }
        }
        return store;
    }

    private static Result run(final ProcessBuilder builder) throws Exception
    {
        final Process process = builder.start();
        final byte[] err = process.getErrorStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the command did not end");
        return new Result(process.exitValue(), new String(err, StandardCharsets.UTF_8));
    }

    private record Result(int code, String err)
    {
    }

    @Test
    void aFullDiskUnderTheOutputIsAFailureOfTheSystemNotBadInput() throws Exception
    {
        assumeTrue(Files.exists(FULL), "needs /dev/full, whose writes fail with ENOSPC");
        final Path store = record(20, 10);

        final Result ls = run(new ProcessBuilder(Cli.command("ls", "--store", store.toString())).redirectOutput(FULL.toFile()));
        assertEquals(3, ls.code(), ls.err());
        assertEquals("forkline: cannot write to stdout: No space left on device\n", ls.err());

        final Result export = run(new ProcessBuilder(Cli.command("export", "--store", store.toString()))
            .redirectOutput(FULL.toFile()));
        assertEquals(3, export.code(), export.err());
        assertEquals("forkline: cannot write the export: No space left on device\n", export.err());

        final Cli.Result toDevice = Cli.run("export", "-o", FULL.toString(), "--store", store.toString());
        assertEquals(3, toDevice.code(), toDevice.err());
        assertEquals("forkline: cannot write the export: No space left on device\n", toDevice.err());
        assertFalse(Files.isRegularFile(FULL), "a device given as the output is written, never replaced by a file");

        assertEquals(2, Cli.run("ls", "--bogus").code(), "a usage error");
        assertEquals(2, Cli.run("ls", "--store", dir.resolve("none").toString()).code(), "an input error");
    }

    @Test
    void tailFollowEndsQuietlyWhenTheReaderOfItsOutputHasGone() throws Exception
    {
        final Path store = record(20, 10);
        final Process tail = Cli.start("tail", "-f", "-n", "3", "--store", store.toString());
        try
        {
            final InputStream out = tail.getInputStream();
            while (out.read() != '\n')
            {
                assertTrue(tail.isAlive(), "tail ended before printing a line");
            }
            out.close(); // as head -1 does once it has its line
            assertTrue(tail.waitFor(30, TimeUnit.SECONDS), "tail -f | head -1 must end when head does");
            assertEquals(141, tail.exitValue());
            assertEquals("", new String(tail.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        finally
        {
            tail.destroyForcibly();
        }
    }

    @Test
    void anExportEndsQuietlyWhenTheReaderOfItsOutputHasGone() throws Exception
    {
        final Path store = record(1000, 1000); // more than a pipe holds
        final Process export = Cli.start("export", "--store", store.toString());
        try
        {
            assertEquals(100, export.getInputStream().readNBytes(100).length);
            export.getInputStream().close();
            assertTrue(export.waitFor(60, TimeUnit.SECONDS));
            assertEquals(141, export.exitValue());
            assertEquals("", new String(export.getErrorStream().readAllBytes(), StandardCharsets.UTF_8),
                "a broken pipe is no error to report");
        }
        finally
        {
            export.destroyForcibly();
        }
    }

    @Test
    void anExportThatMeetsADamagedRecordDoesNotEndAsIfAllWereWell() throws Exception
    {
        final Path store = record(20, 10);
        flip(store, "\"3xxxxxxxxxx\"");
        final Path events = dir.resolve("events.jsonl");
        final Cli.Result stopped = Cli.run("export", "-o", events.toString(), "--store", store.toString());
        assertEquals(2, stopped.code(), stopped.err());
        assertTrue(stopped.err().startsWith("forkline: export stopped at a damaged record in "), stopped.err());
        assertFalse(Files.exists(events), "an events export that would not import again is not written");
        assertNoPartFiles();

        final Path chat = dir.resolve("chat.jsonl");
        final Cli.Result partial = Cli.run("export", "--format", "openai-chat", "-o", chat.toString(), "--store", store.toString());
        assertEquals(1, partial.code(), partial.err());
        assertTrue(partial.err().contains("; 1 damaged record\n  skipped s0: corrupt event s0@3"), partial.err());
        assertTrue(partial.err().contains("forkline: the store has 1 damaged record: the sessions they belong to are left out"),
            partial.err());
        assertEquals(1, Files.readAllLines(chat).size(), "the sound session is exported");
    }

    private void assertNoPartFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".part")), "no temporary file left");
        }
    }

    private static void flip(final Path store, final String marker) throws IOException
    {
        final byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        for (final File file : store.resolve("journal").toFile().listFiles((d, name) -> name.endsWith(".cq4")))
        {
            final byte[] bytes = Files.readAllBytes(file.toPath());
            for (int i = 0; i + needle.length <= bytes.length; i++)
            {
                if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length))
                {
                    bytes[i + 2] ^= 0x01;
                    Files.write(file.toPath(), bytes);
                    return;
                }
            }
        }
        fail("marker not found in the journal");
    }
}
