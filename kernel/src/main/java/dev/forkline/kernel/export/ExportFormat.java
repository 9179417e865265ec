package dev.forkline.kernel.export;

/**
 * The formats {@link Exporter} writes, each one JSON object a line. See {@code docs/export.md}.
 */
public enum ExportFormat
{
    /** {@code {"messages":[…],"tools":[…]}} with {@code weight} 0/1 on assistant messages. */
    OPENAI_CHAT("openai-chat", false),
    /** {@code {"input":{"messages","tools"},"preferred_output":[…],"non_preferred_output":[…]}}. */
    OPENAI_PREFERENCE("openai-preference", true),
    /** {@code {"messages":[…],"tools":[…]}} for TRL's SFT trainer (tool call arguments as objects). */
    TRL_MESSAGES("trl-messages", false),
    /** {@code {"prompt":[…],"chosen":[…],"rejected":[…]}} for TRL's preference trainers. */
    TRL_PREFERENCE("trl-preference", true),
    /** {@code {"conversations":[{"from","value"}],"system","tools"}}. */
    SHAREGPT("sharegpt", false),
    /** The lossless interchange format: one event a line, in journal order. */
    EVENTS("events", false);

    private final String formatName;
    private final boolean preference;

    ExportFormat(final String formatName, final boolean preference)
    {
        this.formatName = formatName;
        this.preference = preference;
    }

    /**
     * @return the name used on the command line, for example {@code "openai-chat"}.
     */
    public String formatName()
    {
        return formatName;
    }

    /**
     * @return true when each line is a preference pair built from forks.
     */
    public boolean isPreference()
    {
        return preference;
    }

    /**
     * @param name a format name such as {@code "trl-preference"}.
     * @return the format.
     * @throws IllegalArgumentException when no format has that name.
     */
    public static ExportFormat fromName(final String name)
    {
        for (final ExportFormat format : values())
        {
            if (format.formatName.equals(name))
            {
                return format;
            }
        }
        final StringBuilder known = new StringBuilder();
        for (final ExportFormat format : values())
        {
            known.append(known.length() == 0 ? "" : ", ").append(format.formatName);
        }
        throw new IllegalArgumentException("unknown export format '" + name + "' (known: " + known + ")");
    }
}
