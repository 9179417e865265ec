package dev.forkline.kernel;

import java.util.List;
import java.util.Map;

/**
 * What {@link Store#verifyChain()} found, checking every branch's hash chain against its seals.
 *
 * @param sealed   events whose chain link matched their seal.
 * @param unsealed events written after the last seal (sealed when the writer next pauses or closes).
 * @param problems each event found changed, removed or reordered, named as {@code branch@step}, at most
 *                 {@link VerifyReport#MAX_LISTED}.
 * @param heads    each branch's chain head (the last seal's value, hex): record it elsewhere to detect a journal
 *                 rewritten with its seals.
 * @param damaged  what damage kept from being checked: a seal record that fails its checksum (the events it sealed
 *                 are checked against the next seal of their branch instead, or counted as not sealed), a damaged
 *                 event ({@link Store#verify()} names it); never an event that matches, at most
 *                 {@link VerifyReport#MAX_LISTED}.
 */
public record ChainReport(long sealed, long unsealed, List<String> problems, Map<String, String> heads, List<String> damaged)
{
    /**
     * @return true when every sealed event matches its seal and no damage kept any from being checked.
     */
    public boolean ok()
    {
        return problems.isEmpty() && damaged.isEmpty();
    }
}
