package dev.forkline.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Kills {@code forkline import} processes, with SIGKILL or SIGINT, at random moments (most while it writes, the others
 * anywhere from its start), 20 rounds ({@code -Dforkline.crash.rounds=N} runs N). After each: the import is in the
 * store whole or left no trace, what the store held before reads byte for byte as it did, verify passes, and an
 * import that left no trace succeeds when run again.
 */
class ImportCrashTest
{
    private static final int SESSIONS = 80;
    private static final int EVENTS = 30;
    private static final String TEMPLATE_PREFIX = "\"cal-";

    @TempDir
    Path dir;

    /**
     * An {@code events} file as {@code forkline export} writes it: sessions of EVENTS events, every tenth with a fork.
     */
    private static String template()
    {
        final StringBuilder text = new StringBuilder();
        long micros = 1;
        for (int s = 0; s < SESSIONS; s++)
        {
            final String session = "cal-" + s;
            line(text, session, session, 0, "session.start", micros++, "{\"agent\":\"crash\"}");
            for (int step = 1; step < EVENTS - 1; step++)
            {
                line(text, session, session, step, "user", micros++,
                    "{\"content\":\"" + session + " step " + step + " " + "x".repeat(200) + "\"}");
            }
            line(text, session, session, EVENTS - 1, "session.end", micros++, "{\"status\":\"done\"}");
            if (s % 10 == 0)
            {
                line(text, session, session + "/1", 2, "fork", micros++, "{\"parent\":\"" + session + "\",\"at\":2,\"reason\":\"retry\"}");
                line(text, session, session + "/1", 2, "user", micros++, "{\"content\":\"again\"}");
            }
        }
        return text.toString();
    }

    private static void line(final StringBuilder text, final String session, final String branch, final long step,
        final String kind, final long micros, final String data)
    {
        text.append("{\"session\":\"").append(session).append("\",\"branch\":\"").append(branch).append("\",\"step\":")
            .append(step).append(",\"kind\":\"").append(kind).append("\",\"ts\":\"")
            .append(java.time.Instant.parse("2026-11-29T17:00:00Z").plusNanos(micros * 1_000)).append("\",\"data\":")
            .append(data).append("}\n");
    }

    private static String export(final String store)
    {
        final Cli.Result export = Cli.run("export", "--format", "events", "--store", store);
        assertEquals(0, export.code(), export.err());
        return export.out();
    }

    /** A running import, and when it first drew its progress bar (it writes from then on). */
    private record Run(Process process, AtomicLong writingSince)
    {
    }

    private Run start(final String store, final Path file) throws IOException
    {
        // a short-lived JVM: the client compiler and the serial collector start it faster
        final Process process = Cli.start(List.of("-Dforkline.tty.stderr=true", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log")),
            Map.of(), "import", "--format", "events", "--store", store, file.toString());
        final AtomicLong writingSince = new AtomicLong();
        final Thread watcher = new Thread(() -> watch(process.getErrorStream(), writingSince), "import-stderr");
        watcher.setDaemon(true);
        watcher.start();
        process.getOutputStream().close();
        return new Run(process, writingSince);
    }

    /**
     * Notes the moment the progress bar first appears on stderr, and reads stderr to its end.
     */
    private static void watch(final InputStream err, final AtomicLong writingSince)
    {
        final StringBuilder seen = new StringBuilder();
        final byte[] buffer = new byte[4096];
        try (err)
        {
            int read;
            while ((read = err.read(buffer)) >= 0)
            {
                if (writingSince.get() == 0)
                {
                    seen.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
                    if (seen.indexOf("\rimport ") >= 0)
                    {
                        writingSince.set(System.nanoTime());
                    }
                }
            }
        }
        catch (final IOException ignore)
        {
            // the process was killed
        }
    }

    @Test
    void anImportKilledAtAnyMomentIsWholeOrLeavesNoTraceAndRunsAgain() throws Exception
    {
        final String template = template();
        final String store = dir.resolve("store").toString();

        // calibration, on a store of its own: the file imports and exports as it is, and how long a run takes
        final Path calibration = dir.resolve("cal.jsonl");
        Files.writeString(calibration, template);
        final String scratch = dir.resolve("scratch").toString();
        final long started = System.nanoTime();
        final Run full = start(scratch, calibration);
        assertTrue(full.process().waitFor(60, TimeUnit.SECONDS));
        final long ended = System.nanoTime();
        assertEquals(0, full.process().exitValue());
        assertEquals(template, export(scratch), "the template is what export writes");
        final long totalNanos = ended - started;
        final long writingNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(20), ended - full.writingSince().get());

        final Path seed = dir.resolve("seed.jsonl");
        Files.writeString(seed, template.replace(TEMPLATE_PREFIX, "\"seed-"));
        assertEquals(0, Cli.run("import", "--format", "events", "--store", store, seed.toString()).code());

        final int rounds = Integer.getInteger("forkline.crash.rounds", 20);
        final Random random = new Random(13);
        int whole = 0;
        int noTrace = 0;
        int rolledBack = 0;
        for (int round = 0; round < rounds; round++)
        {
            final String text = template.replace(TEMPLATE_PREFIX, "\"r" + round + "-");
            final Path file = dir.resolve("round-" + round + ".jsonl");
            Files.writeString(file, text);
            final String before = export(store);

            final Run run = start(store, file);
            final long runStart = System.nanoTime();
            try
            {
                if (random.nextInt(4) > 0)
                {
                    final long deadline = runStart + TimeUnit.SECONDS.toNanos(30);
                    while (run.writingSince().get() == 0 && run.process().isAlive() && System.nanoTime() < deadline)
                    {
                        Thread.sleep(1);
                    }
                    TimeUnit.NANOSECONDS.sleep((long)(random.nextDouble() * writingNanos * 1.2));
                }
                else
                {
                    TimeUnit.NANOSECONDS.sleep((long)(random.nextDouble() * totalNanos * 1.1));
                }
                kill(run.process(), random.nextBoolean());
            }
            finally
            {
                run.process().destroyForcibly();
            }
            assertTrue(run.process().waitFor(30, TimeUnit.SECONDS));

            final String after = export(store);
            final Cli.Result verify = Cli.run("verify", "--store", store);
            assertEquals(0, verify.code(), "round " + round + ": " + verify.out() + verify.err());
            if (after.equals(before))
            {
                noTrace++;
                if (verify.out().contains("ROLLED BACK batch: "))
                {
                    rolledBack++;
                }
                final Cli.Result again = Cli.run("import", "--format", "events", "--store", store, file.toString());
                assertEquals(0, again.code(), "round " + round + ": the same import runs again: " + again.err());
                assertEquals(before + text, export(store), "round " + round);
            }
            else
            {
                assertEquals(before + text, after, "round " + round + ": the import is whole, and nothing before changed");
                whole++;
            }
        }
        System.out.println("imports killed: " + whole + " whole, " + noTrace + " without a trace (" + rolledBack +
            " of them with a rolled-back batch in the journal)");
        assertEquals(rounds, whole + noTrace);
        assertTrue(rounds < 8 || rolledBack > 0, "some kills landed while the batch was being written");
        try (var files = Files.list(dir))
        {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList(),
                "no JVM crashed");
        }
    }

    /**
     * SIGKILL, or SIGINT (Ctrl-C: the JVM runs its shutdown hooks and exits).
     */
    private static void kill(final Process process, final boolean interrupt) throws Exception
    {
        if (interrupt)
        {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
            }
        }
        else
        {
            process.destroyForcibly();
        }
    }
}
