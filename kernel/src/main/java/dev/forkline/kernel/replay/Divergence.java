package dev.forkline.kernel.replay;

import java.util.Set;

/**
 * Where and why a replay stopped matching its recording: the step, what changed, and excerpts of what was
 * recorded there and of the call that came. A {@link DivergenceException} carries one under
 * {@link DivergencePolicy#FAIL}; under {@link DivergencePolicy#FORK}, {@link Recorder#divergence()} gives it, with
 * the branch the replay forked into.
 *
 * @param branch       the branch being replayed.
 * @param step         the step where the call and the recording differ.
 * @param change       what kind of change it was.
 * @param requestParts for {@link Change#REQUEST}, the parts of the model request that differ; empty when not known
 *                     (a recording without part hashes, or a request that is not a JSON object) and for other changes.
 * @param recorded     a short excerpt of what was recorded at that step ({@code "end of branch (n steps)"} past its end).
 * @param came         a short excerpt of the call the agent made.
 * @param fork         the branch the replay forked into and went on live in; null under {@link DivergencePolicy#FAIL}.
 */
public record Divergence(
    String branch, long step, Change change, Set<RequestPart> requestParts, String recorded, String came, String fork)
{
    /**
     * What differs between the call and the recording.
     */
    public enum Change
    {
        /** Another kind of call than recorded: a clock read where a tool call was recorded, say. */
        KIND("another kind of call"),
        /** A tool call or effect of another name. */
        NAME("another tool or effect"),
        /** The same tool or effect with other arguments: another request hash. */
        ARGUMENTS("other arguments"),
        /** A model call with another request; {@link #requestParts()} says which parts differ. */
        REQUEST("another model request"),
        /** A user or system message with other content. */
        CONTENT("another message"),
        /** {@code end} with another status. */
        STATUS("another end status"),
        /** One call more than recorded: the recording is at its end, or at its {@code session.end}. */
        EXTRA_CALL("a call more than recorded"),
        /** One call fewer: {@code end} or {@code close} came where a call was recorded. */
        MISSING_CALL("a call fewer than recorded");

        private final String description;

        Change(final String description)
        {
            this.description = description;
        }

        /**
         * @return a few words for messages, such as {@code "other arguments"}.
         */
        public String description()
        {
            return description;
        }
    }

    /**
     * The parts of a model request whose hashes a recording keeps besides the hash of the whole.
     */
    public enum RequestPart
    {
        /** The {@code "messages"} of the request. */
        MESSAGES,
        /** The {@code "tools"} of the request. */
        TOOLS,
        /** Everything else: model, temperature and the other parameters. */
        PARAMETERS
    }

    /**
     * Copies the parts.
     */
    public Divergence
    {
        requestParts = requestParts == null ? Set.of() : Set.copyOf(requestParts);
    }

    /**
     * @return the change in a few words, with the request parts that differ: {@code "another model request
     * (messages, tools)"}.
     */
    public String describe()
    {
        if (requestParts.isEmpty())
        {
            return change.description();
        }
        final StringBuilder out = new StringBuilder(change.description()).append(" (");
        for (final RequestPart part : RequestPart.values())
        {
            if (requestParts.contains(part))
            {
                out.append(out.charAt(out.length() - 1) == '(' ? "" : ", ").append(part.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return out.append(')').toString();
    }

    Divergence forkedInto(final String fork)
    {
        return new Divergence(branch, step, change, requestParts, recorded, came, fork);
    }
}
