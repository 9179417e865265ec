package dev.forkline.kernel.export;

/**
 * Which branches of each session the chat formats export.
 */
public enum BranchSelection
{
    /** Every branch. */
    ALL,
    /** Branches that no other branch forks from. */
    LEAVES,
    /** Per session, the branch with the highest reward (the first created among equals); none without outcomes. */
    BEST;

    /**
     * @param name {@code all}, {@code leaves} or {@code best}.
     * @return the selection.
     * @throws IllegalArgumentException for any other name.
     */
    public static BranchSelection fromName(final String name)
    {
        return switch (name == null ? "" : name)
        {
            case "all" -> ALL;
            case "leaves" -> LEAVES;
            case "best" -> BEST;
            default -> throw new IllegalArgumentException("unknown branch selection '" + name + "' (known: all, leaves, best)");
        };
    }
}
