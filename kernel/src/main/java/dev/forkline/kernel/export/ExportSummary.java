package dev.forkline.kernel.export;

import java.util.List;
import java.util.Map;

/**
 * What an export wrote.
 *
 * @param format          the format.
 * @param examples        lines written.
 * @param pairs           preference pairs among them (0 for the other formats).
 * @param bytes           bytes written.
 * @param redactions      secrets replaced by {@code [REDACTED]} (each stored occurrence counted once).
 * @param sessions        sessions that gave at least one line.
 * @param filtered        sessions left out by the session filters.
 * @param skippedSessions sessions that matched but gave no line.
 * @param skipped         the first {@link #MAX_SKIPPED_LISTED} of those, with the reason.
 * @param changes         what the lines changed to keep the rules of their format (none in {@code events}).
 * @param redactionsByRule the redactions by the rule that found them (its id, as {@code docs/reliability.md} lists
 *                         them), in the order of the rules; rules that found nothing are left out.
 * @param damagedRecords  damaged records met in the journal; the sessions they belong to are skipped or incomplete, so
 *                        the export lacks what they held.
 */
public record ExportSummary(
    ExportFormat format,
    long examples,
    long pairs,
    long bytes,
    long redactions,
    long sessions,
    long filtered,
    long skippedSessions,
    List<SkippedSession> skipped,
    ExportChanges changes,
    Map<String, Long> redactionsByRule,
    long damagedRecords)
{
    /** How many skipped sessions the summary lists by name; the count covers all of them. */
    public static final int MAX_SKIPPED_LISTED = 100;

    private static final int SKIPPED_PRINTED = 10;

    /**
     * @return a few lines for people, as {@code forkline export} prints them (the changes when there are any, the
     * first ten skipped sessions).
     */
    @Override
    public String toString()
    {
        final StringBuilder out = new StringBuilder()
            .append("exported ").append(examples).append(" example").append(examples == 1 ? "" : "s")
            .append(" (").append(format.formatName()).append(")");
        if (format.isPreference())
        {
            out.append(", ").append(pairs).append(" preference pair").append(pairs == 1 ? "" : "s");
        }
        out.append(", ").append(bytes).append(" bytes, ").append(redactions).append(" redaction")
            .append(redactions == 1 ? "" : "s");
        if (!redactionsByRule.isEmpty())
        {
            final StringBuilder rules = new StringBuilder();
            redactionsByRule.forEach((rule, count) -> rules.append(rules.length() == 0 ? "" : ", ").append(rule).append(' ')
                .append(count));
            out.append(" (").append(rules).append(')');
        }
        out.append(", from ").append(sessions).append(" session")
            .append(sessions == 1 ? "" : "s").append("; ").append(filtered).append(" filtered out, ")
            .append(skippedSessions).append(" skipped");
        if (damagedRecords > 0)
        {
            out.append("; ").append(damagedRecords).append(" damaged record").append(damagedRecords == 1 ? "" : "s");
        }
        if (changes.total() > 0)
        {
            out.append("; changed: ").append(changes);
        }
        for (final SkippedSession skip : skipped.subList(0, Math.min(skipped.size(), SKIPPED_PRINTED)))
        {
            out.append(System.lineSeparator()).append("  skipped ").append(skip.session()).append(": ").append(skip.reason());
        }
        if (skippedSessions > SKIPPED_PRINTED)
        {
            out.append(System.lineSeparator()).append("  ... and ").append(skippedSessions - SKIPPED_PRINTED).append(" more");
        }
        return out.toString();
    }
}
