package dev.forkline.kernel.export;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Replaces secrets by {@value #REPLACEMENT}, as the {@link SecretRule}s find them, and counts each by its rule.
 * <p>
 * Rules match decoded text: in a JSON payload every string literal (member names included) is decoded first, so an
 * escape ({@code \n} before a key, a key written in backslash-u escapes) hides nothing; a string found to hold a
 * secret is encoded again with the secret replaced, and every other byte of the payload is kept. A member's value is
 * matched with its name before it ({@code name=value}), so that {@code {"db_password": "hunter22"}} is found as
 * {@code db_password=hunter22} is; and a string that is itself JSON (tool call arguments) is redacted as JSON.
 * <p>
 * Design note: almost no payload holds a secret, so {@link #candidates} first scans the raw bytes for the anchors of
 * the rules ({@link SecretScan}); nothing is decoded and no rule runs on a payload without one, and only the rules
 * whose anchors were found run on one with.
 * <p>
 * Threading: one per export thread.
 */
final class SecretRedactor
{
    static final String REPLACEMENT = "[REDACTED]";

    /** How deep strings that hold JSON, in strings that hold JSON, are redacted as JSON. */
    private static final int MAX_NESTED_JSON = 3;
    private static final SecretRule[] RULES = SecretRule.values();

    private final boolean enabled;
    private final long[] counts = new long[RULES.length];

    SecretRedactor(final boolean enabled)
    {
        this.enabled = enabled;
    }

    boolean enabled()
    {
        return enabled;
    }

    /**
     * @return the number of secrets replaced so far.
     */
    long redactions()
    {
        long total = 0;
        for (final long count : counts)
        {
            total += count;
        }
        return total;
    }

    /**
     * Adds the secrets replaced so far, by rule, to {@code totals} (indexed by {@link SecretRule#ordinal()}).
     */
    void addCountsTo(final long[] totals)
    {
        for (int i = 0; i < counts.length; i++)
        {
            totals[i] += counts[i];
        }
    }

    /**
     * @return the non-zero counts of {@code totals} by rule id, in the order of the rules table.
     */
    static Map<String, Long> byRule(final long[] totals)
    {
        final Map<String, Long> byRule = new LinkedHashMap<>();
        for (final SecretRule rule : RULES)
        {
            if (totals[rule.ordinal()] > 0)
            {
                byRule.put(rule.id(), totals[rule.ordinal()]);
            }
        }
        return byRule;
    }

    /**
     * @return the rules that may find a secret in {@code length} bytes from {@code offset} (raw JSON or text), as a
     * mask for {@link #redact} and {@link #redactJson}; 0, the common case, when none can or redaction is off.
     */
    long candidates(final byte[] text, final int offset, final int length)
    {
        return enabled ? SecretScan.candidates(text, offset, length) : 0;
    }

    /**
     * @return decoded {@code text} with every secret replaced (the same instance when there is none).
     */
    String redact(final String text, final long candidates)
    {
        return text == null || candidates == 0 ? text : redactValue(text, null, candidates, 0);
    }

    /**
     * @return the JSON text with the secrets in its strings replaced (the same instance when there is none).
     */
    String redactJson(final String json, final long candidates)
    {
        return json == null || candidates == 0 ? json : redactJson(json, candidates, 0);
    }

    /**
     * @return the JSON text, UTF-8, with the secrets in its strings replaced (the same array when there is none).
     */
    byte[] redactJson(final byte[] json, final long candidates)
    {
        if (candidates == 0)
        {
            return json;
        }
        final String text = new String(json, StandardCharsets.UTF_8);
        final String redacted = redactJson(text, candidates, 0);
        return redacted == text ? json : redacted.getBytes(StandardCharsets.UTF_8);
    }

    private String redactJson(final String json, final long candidates, final int depth)
    {
        final StringBuilder[] out = new StringBuilder[1];
        final int[] copied = new int[1];
        JsonStrings.walk(json, (start, end, value, member, isName) ->
        {
            final String redacted = redactValue(value, member, candidates, depth);
            if (redacted != value)
            {
                if (out[0] == null)
                {
                    out[0] = new StringBuilder(json.length());
                }
                out[0].append(json, copied[0], start).append(JsonStrings.encode(redacted));
                copied[0] = end;
            }
        });
        return out[0] == null ? json : out[0].append(json, copied[0], json.length()).toString();
    }

    /**
     * @param member the name of the member whose value {@code value} is, or null.
     */
    private String redactValue(final String value, final String member, final long candidates, final int depth)
    {
        if (depth < MAX_NESTED_JSON && looksLikeJson(value) && TurnParser.isJson(value))
        {
            return redactJson(value, candidates, depth + 1);
        }
        final String text = member == null ? value : member + "=" + value;
        final int offset = member == null ? 0 : member.length() + 1;
        final List<int[]> found = new ArrayList<>(2);
        for (final SecretRule rule : RULES)
        {
            if ((candidates & (1L << rule.ordinal())) == 0)
            {
                continue;
            }
            final Matcher matcher = rule.pattern().matcher(text);
            // each search starts just after the last match's start, not its end: matches may overlap
            // ("secret-name: secret: value"), and overlapping secrets are replaced as one below
            for (int from = 0; from < text.length() && matcher.find(from); from = matcher.start() + 1)
            {
                final int start = Math.max(matcher.start(rule.group()), offset);
                final int end = matcher.end(rule.group());
                if (end > start && rule.accepts(text.substring(start, end)))
                {
                    found.add(new int[] {start - offset, end - offset, rule.ordinal()});
                }
            }
        }
        if (member != null && (candidates & (1L << SecretRule.SECRET_ASSIGNMENT.ordinal())) != 0 &&
            SecretRule.SECRET_NAME.matcher(member).matches() && SecretRule.isPlausibleValue(value.strip()))
        {
            found.add(new int[] {0, value.length(), SecretRule.SECRET_ASSIGNMENT.ordinal()});
        }
        return found.isEmpty() ? value : replace(value, found);
    }

    /**
     * Replaces the secrets found; where they overlap, they are replaced as one and counted for the one that starts
     * first (on a tie, the earlier rule).
     */
    private String replace(final String value, final List<int[]> found)
    {
        found.sort(Comparator.<int[]>comparingInt(f -> f[0]).thenComparingInt(f -> f[2]));
        final StringBuilder out = new StringBuilder(value.length());
        int copied = 0;
        int i = 0;
        while (i < found.size())
        {
            final int[] first = found.get(i);
            int end = first[1];
            i++;
            while (i < found.size() && found.get(i)[0] < end)
            {
                end = Math.max(end, found.get(i)[1]);
                i++;
            }
            out.append(value, copied, first[0]).append(REPLACEMENT);
            copied = end;
            counts[first[2]]++;
        }
        return out.append(value, copied, value.length()).toString();
    }

    private static boolean looksLikeJson(final String value)
    {
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
            {
                return c == '{' || c == '[';
            }
        }
        return false;
    }
}
