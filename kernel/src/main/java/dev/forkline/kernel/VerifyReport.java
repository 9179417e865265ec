package dev.forkline.kernel;

import java.util.List;

/**
 * What {@link Store#verify()} or {@link Store#verify(java.nio.file.Path)} found: every record of the journal
 * checked against its checksum, and the index checked against the journal. A journal file cut short is one damaged
 * record, the first one the cut reaches into, whose problem says what was lost.
 *
 * @param events           sound events read.
 * @param bytes            bytes of those events.
 * @param damaged          records that failed their checks, at most {@link #MAX_LISTED}.
 * @param damagedCount     how many records failed in all.
 * @param indexProblems    steps the index cannot resolve to a sound event (past a cut: the steps the index snapshot
 *                         locates there), at most {@link #MAX_LISTED}.
 * @param affectedSessions the sessions that lost an event or hold a damaged one, as far as they can be known.
 * @param uncommitted      the batches whose events are in the journal but not in the store: rolled back, or still
 *                         being written; not damage (their events are not among {@link #events}), at most
 *                         {@link #MAX_LISTED}.
 */
public record VerifyReport(
    long events, long bytes, List<Damage> damaged, long damagedCount, List<String> indexProblems, List<String> affectedSessions,
    List<UncommittedBatch> uncommitted)
{
    /** How many damaged records and index problems a report lists. */
    public static final int MAX_LISTED = 1_000;

    /**
     * A report on a journal without batches that did not commit.
     */
    public VerifyReport(
        final long events, final long bytes, final List<Damage> damaged, final long damagedCount,
        final List<String> indexProblems, final List<String> affectedSessions)
    {
        this(events, bytes, damaged, damagedCount, indexProblems, affectedSessions, List.of());
    }

    /**
     * A {@link Batch} whose events are in the journal but never read: it was rolled back (aborted, or left open by a
     * writer that stopped, which the next writer of the store rolls back), or, with {@code open}, its writer may still
     * commit it.
     *
     * @param journalIndex the journal index of its first event.
     * @param events       its events in the journal.
     * @param sessions     the sessions it created or appended to, the first {@link #MAX_LISTED} of them.
     * @param sessionCount how many sessions it created or appended to.
     * @param open         true when the process that writes the store is still running and the batch may yet commit.
     */
    public record UncommittedBatch(long journalIndex, long events, List<String> sessions, long sessionCount, boolean open)
    {
    }

    /**
     * One damaged record, or the first record a cut reaches into.
     *
     * @param journalIndex the record's journal index (past a cut: that of the first event lost).
     * @param file         the journal file holding it.
     * @param offset       its byte offset in that file.
     * @param problem      what is wrong with it.
     * @param session      the session it seems to belong to (from its header, which may itself be damaged, or past a
     *                     cut from the index snapshot), or null.
     * @param event        the {@code branch@step} it seems to be (likewise), or null.
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
