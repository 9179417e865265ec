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
 */
public record ChainReport(long sealed, long unsealed, List<String> problems, Map<String, String> heads)
{
    /**
     * @return true when every sealed event matches its seal.
     */
    public boolean ok()
    {
        return problems.isEmpty();
    }
}
