package dev.forkline.kernel.replay;

import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.TypedEvent;

/**
 * A judgement of an earlier step of the same branch: {@code {"step", "label", "note"}}. An assistant turn judged
 * {@code "bad"} gets weight 0 on export and is never a preferred turn; a later {@code "good"} takes that back. The
 * step must be an earlier step of the branch it is appended to (checked on append).
 *
 * @param step  the step judged; not negative.
 * @param label {@code "good"}, {@code "bad"}, or null for a note only.
 * @param note  why, or null.
 */
public record Annotation(long step, String label, String note) implements TypedEvent
{
    /**
     * @throws IllegalArgumentException when the step is negative, the label is another word, or there is neither a
     *                                  label nor a note.
     */
    public Annotation
    {
        if (step < 0)
        {
            throw new IllegalArgumentException("annotation step must not be negative: " + step);
        }
        if (label != null && !label.equals("good") && !label.equals("bad"))
        {
            throw new IllegalArgumentException("annotation label must be \"good\" or \"bad\", not \"" + label + "\"");
        }
        if (label == null && note == null)
        {
            throw new IllegalArgumentException("an annotation needs a label or a note");
        }
    }

    /**
     * @return a judgement that the step was good.
     */
    public static Annotation good(final long step, final String note)
    {
        return new Annotation(step, "good", note);
    }

    /**
     * @return a judgement that the step was bad.
     */
    public static Annotation bad(final long step, final String note)
    {
        return new Annotation(step, "bad", note);
    }

    @Override
    public EventKind kind()
    {
        return EventKind.ANNOTATION;
    }

    /**
     * @return {@code {"step","label","note"}}, label and note only when present.
     */
    @Override
    public String toJson()
    {
        return Payloads.annotation(this);
    }
}
