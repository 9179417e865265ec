package dev.forkline.kernel.export;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link Exporter} writes and which sessions and branches it takes. Set fluently:
 * <pre>{@code
 * new ExportOptions().format(ExportFormat.OPENAI_CHAT).branches(BranchSelection.BEST).minReward(0.5).tag("suite", "swe")
 * }</pre>
 * Session filters (ids, tags, time of {@code session.start}) apply to every format; branch filters (selection,
 * reward range, label) to the chat formats, and to {@code events} as "the session has a matching branch".
 */
public final class ExportOptions
{
    private ExportFormat format = ExportFormat.OPENAI_CHAT;
    private BranchSelection branches = BranchSelection.ALL;
    private final List<String> sessions = new ArrayList<>();
    private final Map<String, String> tags = new TreeMap<>();
    private double minReward = Double.NEGATIVE_INFINITY;
    private double maxReward = Double.POSITIVE_INFINITY;
    private String label;
    private Instant since;
    private Instant until;
    private boolean redact = true;

    /**
     * @param format the output format; default {@link ExportFormat#OPENAI_CHAT}.
     * @return this.
     */
    public ExportOptions format(final ExportFormat format)
    {
        if (format == null)
        {
            throw new IllegalArgumentException("format must not be null");
        }
        this.format = format;
        return this;
    }

    /**
     * @param branches which branches of a session to export; default {@link BranchSelection#ALL}.
     * @return this.
     */
    public ExportOptions branches(final BranchSelection branches)
    {
        if (branches == null)
        {
            throw new IllegalArgumentException("branch selection must not be null");
        }
        this.branches = branches;
        return this;
    }

    /**
     * Limits the export to the given session; call again to add more. Without any, every session is considered.
     *
     * @return this.
     */
    public ExportOptions session(final String session)
    {
        if (session == null || session.isEmpty())
        {
            throw new IllegalArgumentException("session id must not be empty");
        }
        sessions.add(session);
        return this;
    }

    /**
     * Keeps only sessions whose {@code session.start} tags have {@code key} equal to {@code value}.
     *
     * @return this.
     */
    public ExportOptions tag(final String key, final String value)
    {
        if (key == null || key.isEmpty() || value == null)
        {
            throw new IllegalArgumentException("tag filter needs a key and a value, got " + key + "=" + value);
        }
        tags.put(key, value);
        return this;
    }

    /**
     * Keeps only branches whose outcome reward is at least {@code minReward}.
     *
     * @return this.
     */
    public ExportOptions minReward(final double minReward)
    {
        if (Double.isNaN(minReward))
        {
            throw new IllegalArgumentException("minimum reward must be a number");
        }
        this.minReward = minReward;
        checkRewardRange();
        return this;
    }

    /**
     * Keeps only branches whose outcome reward is at most {@code maxReward}.
     *
     * @return this.
     */
    public ExportOptions maxReward(final double maxReward)
    {
        if (Double.isNaN(maxReward))
        {
            throw new IllegalArgumentException("maximum reward must be a number");
        }
        this.maxReward = maxReward;
        checkRewardRange();
        return this;
    }

    /**
     * Keeps only branches whose outcome label is {@code label}.
     *
     * @return this.
     */
    public ExportOptions label(final String label)
    {
        this.label = label;
        return this;
    }

    /**
     * Keeps only sessions started at or after {@code since}.
     *
     * @return this.
     */
    public ExportOptions since(final Instant since)
    {
        this.since = since;
        checkTimeRange();
        return this;
    }

    /**
     * Keeps only sessions started before {@code until}.
     *
     * @return this.
     */
    public ExportOptions until(final Instant until)
    {
        this.until = until;
        checkTimeRange();
        return this;
    }

    /**
     * @param redact false to keep secrets as recorded; default true.
     * @return this.
     */
    public ExportOptions redact(final boolean redact)
    {
        this.redact = redact;
        return this;
    }

    /**
     * @return the output format.
     */
    public ExportFormat format()
    {
        return format;
    }

    /**
     * @return which branches of a session the chat formats export.
     */
    public BranchSelection branches()
    {
        return branches;
    }

    /**
     * @return the sessions to export; empty for all.
     */
    public List<String> sessions()
    {
        return Collections.unmodifiableList(sessions);
    }

    /**
     * @return the tags a session's {@code session.start} must have.
     */
    public Map<String, String> tags()
    {
        return Collections.unmodifiableMap(tags);
    }

    /**
     * @return the lowest reward kept; negative infinity for no bound.
     */
    public double minReward()
    {
        return minReward;
    }

    /**
     * @return the highest reward kept; positive infinity for no bound.
     */
    public double maxReward()
    {
        return maxReward;
    }

    /**
     * @return the outcome label kept, or null for any.
     */
    public String label()
    {
        return label;
    }

    /**
     * @return the earliest session start kept, or null.
     */
    public Instant since()
    {
        return since;
    }

    /**
     * @return the session start before which sessions are kept, or null.
     */
    public Instant until()
    {
        return until;
    }

    /**
     * @return true when secrets are redacted.
     */
    public boolean redact()
    {
        return redact;
    }

    boolean hasOutcomeFilter()
    {
        return label != null || minReward != Double.NEGATIVE_INFINITY || maxReward != Double.POSITIVE_INFINITY;
    }

    /**
     * @return true when a branch with this outcome (NaN reward and null label when it has none) passes the
     * reward and label filters.
     */
    boolean outcomeMatches(final double reward, final String label)
    {
        if (minReward != Double.NEGATIVE_INFINITY || maxReward != Double.POSITIVE_INFINITY)
        {
            if (Double.isNaN(reward) || reward < minReward || reward > maxReward)
            {
                return false;
            }
        }
        return this.label == null || this.label.equals(label);
    }

    private void checkRewardRange()
    {
        if (minReward > maxReward)
        {
            throw new IllegalArgumentException("reward range is empty: minimum " + minReward + " > maximum " + maxReward);
        }
    }

    private void checkTimeRange()
    {
        if (since != null && until != null && !since.isBefore(until))
        {
            throw new IllegalArgumentException("time range is empty: since " + since + " is not before until " + until);
        }
    }
}
