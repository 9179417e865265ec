package dev.forkline.kernel;

import java.util.List;

/**
 * What {@link Store#verify()} found: every record of the journal checked against its checksum, and the index
 * checked against the journal.
 *
 * @param events           sound events read.
 * @param bytes            bytes of those events.
 * @param damaged          records that failed their checks, at most {@link #MAX_LISTED}.
 * @param damagedCount     how many records failed in all.
 * @param indexProblems    steps the index cannot resolve to a sound event, at most {@link #MAX_LISTED}.
 * @param affectedSessions the sessions that lost an event or hold a damaged one.
 */
public record VerifyReport(
    long events, long bytes, List<Damage> damaged, long damagedCount, List<String> indexProblems, List<String> affectedSessions)
{
    /** How many damaged records and index problems a report lists. */
    public static final int MAX_LISTED = 1_000;

    /**
     * One damaged record.
     *
     * @param journalIndex the record's journal index.
     * @param file         the journal file holding it.
     * @param offset       its byte offset in that file.
     * @param problem      what is wrong with it.
     * @param session      the session it seems to belong to (from its header, which may itself be damaged), or null.
     * @param event        the {@code branch@step} it seems to be (from its header), or null.
     */
    public record Damage(long journalIndex, String file, long offset, String problem, String session, String event)
    {
    }

    /**
     * @return true when no record is damaged and the index resolves every step.
     */
    public boolean ok()
    {
        return damagedCount == 0 && indexProblems.isEmpty();
    }
}
