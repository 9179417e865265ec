package dev.forkline.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The progress bar of an import on a terminal (the command line told that stderr is one, as the launcher tells it): it
 * counts the bytes read, from the first, over the whole import (a single-document file is read twice, and both
 * readings count), and it is cleared when the import ends, so that the summary or the error stands on a line of its
 * own. (Off a terminal there is none: every successful import of {@link ImportRun} has nothing on stderr.)
 */
class ImportProgressTest
{
    private static final Pattern DRAW = Pattern.compile("import \\[([# ]{30})] (\\d+)% (\\d+\\.\\d)/(\\d+\\.\\d) MiB");
    private static final double MIB = 1024 * 1024;
    private static final String CLEAR = "\r\033[K";
    private static final String TTY = "forkline.tty.stderr";

    @TempDir
    Path dir;

    /** A redraw of the bar: the share done, and the MiB read of all. */
    private record Draw(int percent, double done, double total)
    {
    }

    /**
     * @return the bar's redraws in what is on stderr before {@code end}, checked to be whole and to count up.
     */
    private static List<Draw> draws(final String err, final int end)
    {
        final List<Draw> draws = new ArrayList<>();
        for (final String part : err.substring(0, end).split("\r"))
        {
            if (part.isEmpty() || part.equals("\033[K"))
            {
                continue;
            }
            final Matcher draw = DRAW.matcher(part);
            assertTrue(draw.matches(), "a whole redraw of the bar: " + part);
            draws.add(new Draw(Integer.parseInt(draw.group(2)), Double.parseDouble(draw.group(3)), Double.parseDouble(draw.group(4))));
        }
        assertFalse(draws.isEmpty(), "the bar was drawn");
        for (int i = 1; i < draws.size(); i++)
        {
            assertTrue(draws.get(i).done() >= draws.get(i - 1).done() && draws.get(i).percent() >= draws.get(i - 1).percent(),
                "the bar only moves on: " + draws);
        }
        return draws;
    }

    /**
     * Imports with stderr taken for a terminal, as the launcher tells the command line when it is one.
     */
    private Cli.Result importOnATerminal(final String format, final GeneratedImports.File file)
    {
        final String before = System.getProperty(TTY);
        System.setProperty(TTY, "true");
        try
        {
            return Cli.run("import", "--format", format, "--store", dir.resolve("store").toString(), file.path().toString());
        }
        finally
        {
            if (before == null)
            {
                System.clearProperty(TTY);
            }
            else
            {
                System.setProperty(TTY, before);
            }
        }
    }

    private static String mib(final double bytes)
    {
        return String.format(Locale.ROOT, "%.1f", bytes / MIB);
    }

    @Test
    void anImportCountsTheBytesItReadsAndClearsTheBarBeforeItsSummary() throws IOException
    {
        final GeneratedImports.File file = GeneratedImports.events(dir.resolve("e.jsonl"), "e-", 1_500_000, false);
        final Cli.Result result = importOnATerminal("events", file);
        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().startsWith("imported " + file.events() + " events"), result.out());
        assertTrue(result.err().endsWith(CLEAR), "the bar is cleared at the end");
        final List<Draw> draws = draws(result.err(), result.err().length() - CLEAR.length());
        for (final Draw draw : draws)
        {
            assertEquals(mib(Files.size(file.path())), String.format(Locale.ROOT, "%.1f", draw.total()), "of the file's bytes");
            assertTrue(draw.done() <= draw.total());
        }
    }

    @Test
    void aSingleDocumentCountsBothReadingsOfIt() throws IOException
    {
        final GeneratedImports.File file = GeneratedImports.sweAgent(dir.resolve("run.traj"), 1_500_000, false);
        final Cli.Result result = importOnATerminal("swe-agent", file);
        assertEquals(0, result.code(), result.err());
        assertTrue(result.err().endsWith(CLEAR), "the bar is cleared at the end");
        for (final Draw draw : draws(result.err(), result.err().length() - CLEAR.length()))
        {
            assertEquals(mib(2.0 * Files.size(file.path())), String.format(Locale.ROOT, "%.1f", draw.total()),
                "the checking reading and the writing one");
        }
    }

    @Test
    void aFailedImportShowedItsProgressWhileReadingAndItsErrorStandsOnALineOfItsOwn() throws IOException
    {
        final GeneratedImports.File file = GeneratedImports.events(dir.resolve("bad.jsonl"), "e-", 1_500_000, true);
        final Cli.Result result = importOnATerminal("events", file);
        assertEquals(2, result.code(), result.err());
        final String error = "forkline: " + file.path() + ":" + file.badEntryLine() + ": step 500 of e-" + (file.sessions() - 1) +
            " should be 100\n";
        assertTrue(result.err().endsWith(CLEAR + error), "the bar is cleared before the error: " +
            result.err().substring(Math.max(0, result.err().length() - 300)));
        final List<Draw> draws = draws(result.err(), result.err().length() - CLEAR.length() - error.length());
        assertTrue(draws.get(0).done() > 0, "the bar counted bytes read before the bad line was met: " + draws);
    }
}
