package dev.forkline.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the demo gives the reference agent: a task, two notes files for its file tools, and the grading
 * key, the results a right answer states.
 */
final class DemoNotes
{
    /** The work directory the agent's tools see, created next to the store. */
    static final String DIRECTORY = "forkline-demo-files";

    static final String TASK = "Work out the arithmetic in my notes, and 19 + 23.";

    static final String GROCERIES = "groceries.txt";
    static final String RENT = "rent.txt";

    private static final List<String[]> FILES = List.of(
        new String[] {GROCERIES, "Apples: 4 x 2.5 euros.\n"},
        new String[] {RENT, "Rent share: 1200 / 3 euros a month.\n"});

    /** The results a right answer states: the task's sum and one for each notes file. */
    private static final List<String> EXPECTED = List.of("19 + 23 = 42.", "4 * 2.5 = 10.", "1200 / 3 = 400.");

    private DemoNotes()
    {
    }

    /**
     * Writes the notes files into {@code directory}, creating it when needed.
     */
    static void write(final Path directory) throws IOException
    {
        Files.createDirectories(directory);
        for (final String[] file : FILES)
        {
            Files.writeString(directory.resolve(file[0]), file[1], StandardCharsets.UTF_8);
        }
    }

    /**
     * Grades an answer: the reward is the share of the expected results it states (two decimals); the label
     * is {@code correct} for all of them, {@code partial} for some, {@code wrong} for none.
     *
     * @return the {@code outcome} payload.
     */
    static ObjectNode grade(final String answer)
    {
        int found = 0;
        for (final String result : EXPECTED)
        {
            if (answer != null && answer.contains(result))
            {
                found++;
            }
        }
        final BigDecimal reward = BigDecimal.valueOf(found)
            .divide(BigDecimal.valueOf(EXPECTED.size()), 2, RoundingMode.HALF_UP)
            .stripTrailingZeros();
        final String label = found == EXPECTED.size() ? "correct" : found > 0 ? "partial" : "wrong";
        return Json.object().put("reward", reward).put("label", label);
    }
}
