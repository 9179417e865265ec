package dev.forkline.kernel.replay;

import dev.forkline.kernel.EventKind;

/**
 * The result to give the agent's call at the fork step of a replay-then-live run, instead of calling the
 * live function: "what if the tool had returned X at step 7?". The call must be of the override's kind.
 */
public final class StepOverride
{
    private final EventKind kind;
    private final Object value;

    private StepOverride(final EventKind kind, final Object value)
    {
        this.kind = kind;
        this.value = value;
    }

    /**
     * @return an override for a tool call.
     */
    public static StepOverride toolResult(final ToolResult result)
    {
        return new StepOverride(EventKind.TOOL_RESULT, require(result));
    }

    /**
     * @return an override for a model call.
     */
    public static StepOverride modelTurn(final ModelTurn turn)
    {
        return new StepOverride(EventKind.MODEL_RESPONSE, require(turn));
    }

    /**
     * @return an override for a clock read.
     */
    public static StepOverride clock(final long value)
    {
        return new StepOverride(EventKind.CLOCK, value);
    }

    /**
     * @return an override for a random read.
     * @throws IllegalArgumentException for NaN and the infinities, which JSON cannot hold.
     */
    public static StepOverride random(final double value)
    {
        return new StepOverride(EventKind.RANDOM, Payloads.requireFinite(value));
    }

    /**
     * @param response the effect's response, a JSON text.
     * @return an override for an effect.
     */
    public static StepOverride effect(final String response)
    {
        return new StepOverride(EventKind.EFFECT, require(response));
    }

    EventKind kind()
    {
        return kind;
    }

    Object value()
    {
        return value;
    }

    private static <T> T require(final T value)
    {
        if (value == null)
        {
            throw new IllegalArgumentException("override value must not be null");
        }
        return value;
    }

    @Override
    public String toString()
    {
        return kind.wireName() + " " + value;
    }
}
