package dev.forkline.kernel.replay;

import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.TypedEvent;

/**
 * The result of a branch: {@code {"reward", "label"}}. The latest outcome of a branch is its outcome: export
 * filters by it ({@code --min-reward}, {@code --label}) and builds preference pairs from forks whose rewards differ.
 * It may be appended after the branch ended, by another writer.
 *
 * @param reward the reward, a finite number; {@link Double#NaN} for none (then a label is needed).
 * @param label  a label such as {@code "passed"}, or null.
 */
public record Outcome(double reward, String label) implements TypedEvent
{
    /**
     * @throws IllegalArgumentException when the reward is infinite, or there is neither a reward nor a label.
     */
    public Outcome
    {
        if (Double.isInfinite(reward))
        {
            throw new IllegalArgumentException("outcome reward must be finite (NaN for none): " + reward);
        }
        if (Double.isNaN(reward) && label == null)
        {
            throw new IllegalArgumentException("an outcome needs a reward or a label");
        }
    }

    /**
     * @return an outcome with a reward and no label.
     */
    public static Outcome of(final double reward)
    {
        return new Outcome(reward, null);
    }

    /**
     * @return an outcome with a reward and a label.
     */
    public static Outcome of(final double reward, final String label)
    {
        return new Outcome(reward, label);
    }

    /**
     * @return true when the outcome has a reward.
     */
    public boolean hasReward()
    {
        return !Double.isNaN(reward);
    }

    @Override
    public EventKind kind()
    {
        return EventKind.OUTCOME;
    }

    /**
     * @return {@code {"reward","label"}}, each only when present.
     */
    @Override
    public String toJson()
    {
        return Payloads.outcome(this);
    }
}
