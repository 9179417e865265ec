package dev.forkline.kernel;

import java.util.List;
import java.util.Map;

/**
 * What {@link Store#salvage} copied from a damaged store into a new one, and what it could not.
 *
 * @param events        events copied, {@code session.start} and {@code fork} events included.
 * @param sessions      sessions copied.
 * @param branches      branches copied, the sessions' root branches included.
 * @param source        what the damaged store lost, as {@link Store#verify(java.nio.file.Path)} reports it: damaged
 *                      records, each cut, and the steps the index snapshot locates past a cut.
 * @param droppedEvents sound events of the damaged store that were not copied; {@code events + droppedEvents} is
 *                      {@code source.events()}.
 * @param dropped       what those events were and why they were not copied, one line each, at most
 *                      {@link VerifyReport#MAX_LISTED}: the later events of a branch that misses a step, a fork whose
 *                      parent was not copied up to its fork step, the events of a branch no sound record creates; and
 *                      any event copied not quite as it was (a fork reason or a payload that could not be read back).
 * @param renamed       forks copied under another name, old name to new (forks of one session whose fork events
 *                      reached the journal out of number order); usually empty.
 */
public record SalvageReport(
    long events,
    int sessions,
    int branches,
    VerifyReport source,
    long droppedEvents,
    List<String> dropped,
    Map<String, String> renamed)
{
    /**
     * @return true when the damaged store had no damage and everything in it was copied as it was.
     */
    public boolean complete()
    {
        return source.ok() && droppedEvents == 0 && dropped.isEmpty() && renamed.isEmpty();
    }
}
