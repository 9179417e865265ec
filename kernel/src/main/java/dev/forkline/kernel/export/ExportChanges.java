package dev.forkline.kernel.export;

/**
 * What an export changed so that its lines keep the rules of their format, counted once per event exported
 * (however many lines repeat it). Nothing is changed silently: {@code docs/export.md} says what each change is.
 *
 * @param contentsFilled  messages with no text (and no tool calls) written with a placeholder text, as the
 *                        formats' validators refuse empty content.
 * @param callIdsRenamed  tool calls whose id an earlier call of the same example used, given {@code <id>_<n>}
 *                        (their results follow), so that each id of an example names one call.
 * @param resultsRelinked tool results whose id named no call of the assistant message before them, linked to an
 *                        unanswered call of the same name there.
 * @param messagesDropped messages left out: tool results that answer no call of the assistant message before
 *                        them, and in {@code sharegpt} assistant turns before the first human turn.
 * @param messagesMerged  {@code sharegpt} turns merged into the turn before them, as the format alternates
 *                        human (or observation) and assistant turns.
 * @param textsDropped    {@code sharegpt} assistant texts beside function calls, which the format has no place for.
 */
public record ExportChanges(
    long contentsFilled,
    long callIdsRenamed,
    long resultsRelinked,
    long messagesDropped,
    long messagesMerged,
    long textsDropped)
{
    /** No change. */
    public static final ExportChanges NONE = new ExportChanges(0, 0, 0, 0, 0, 0);

    /**
     * @return the sum of both.
     */
    public ExportChanges plus(final ExportChanges other)
    {
        return new ExportChanges(contentsFilled + other.contentsFilled, callIdsRenamed + other.callIdsRenamed,
            resultsRelinked + other.resultsRelinked, messagesDropped + other.messagesDropped,
            messagesMerged + other.messagesMerged, textsDropped + other.textsDropped);
    }

    /**
     * @return the total number of changes.
     */
    public long total()
    {
        return contentsFilled + callIdsRenamed + resultsRelinked + messagesDropped + messagesMerged + textsDropped;
    }

    /**
     * @return the non-zero counts for people, such as {@code 2 empty contents filled, 1 tool call id renamed}; empty
     * when nothing was changed.
     */
    @Override
    public String toString()
    {
        final StringBuilder out = new StringBuilder();
        append(out, contentsFilled, "empty content filled", "empty contents filled");
        append(out, callIdsRenamed, "tool call id renamed", "tool call ids renamed");
        append(out, resultsRelinked, "tool result relinked by name", "tool results relinked by name");
        append(out, messagesDropped, "message left out", "messages left out");
        append(out, messagesMerged, "turn merged", "turns merged");
        append(out, textsDropped, "assistant text beside function calls left out", "assistant texts beside function calls left out");
        return out.toString();
    }

    private static void append(final StringBuilder out, final long count, final String one, final String many)
    {
        if (count != 0)
        {
            out.append(out.length() == 0 ? "" : ", ").append(count).append(' ').append(count == 1 ? one : many);
        }
    }
}
