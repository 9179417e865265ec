package dev.forkline.kernel;

/**
 * What an event records. Each kind has a stable numeric code (stored in the event header) and the
 * interchange name used in JSONL.
 */
public enum EventKind
{
    /** Step 0 of a root branch: {@code {"agent", "model", "tools", "tags"}}. */
    SESSION_START(1, "session.start"),
    /** A system message: {@code {"content"}}. */
    SYSTEM(2, "system"),
    /** A user message: {@code {"content"}}. */
    USER(3, "user"),
    /**
     * One model turn: {@code {"content", "tool_calls", "model", "usage", "finish_reason", "tokenizer",
     * "prompt_token_ids", "completion_token_ids", "completion_logprobs", "request_hash", "request_parts"}}.
     */
    MODEL_RESPONSE(4, "model.response"),
    /** What a tool returned: {@code {"tool_call_id", "name", "content", "error", "request_hash"}}. */
    TOOL_RESULT(5, "tool.result"),
    /** A clock read: {@code {"value"}}. */
    CLOCK(6, "clock"),
    /** A random read: {@code {"value"}}. */
    RANDOM(7, "random"),
    /** Any other call into the world: {@code {"name", "request", "response", "request_hash"}}. */
    EFFECT(8, "effect"),
    /** The result of a branch: {@code {"reward", "label"}}; may follow {@link #SESSION_END}. */
    OUTCOME(9, "outcome"),
    /** A judgement of an earlier step: {@code {"step", "label", "note"}}. */
    ANNOTATION(10, "annotation"),
    /** Written once when a branch is created by a fork: {@code {"parent", "at", "reason"}}. Takes no step. */
    FORK(11, "fork"),
    /** The end of an episode: {@code {"status"}}. */
    SESSION_END(12, "session.end");

    private static final EventKind[] BY_CODE = new EventKind[16];

    static
    {
        for (final EventKind kind : values())
        {
            BY_CODE[kind.code] = kind;
        }
    }

    private final short code;
    private final String wireName;

    EventKind(final int code, final String wireName)
    {
        this.code = (short)code;
        this.wireName = wireName;
    }

    /**
     * @return the code stored in the event header.
     */
    public short code()
    {
        return code;
    }

    /**
     * @return the interchange name, for example {@code "tool.result"}.
     */
    public String wireName()
    {
        return wireName;
    }

    /**
     * @param code a header code.
     * @return the kind, or {@code null} when the code is not known.
     */
    public static EventKind fromCode(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /**
     * @param wireName an interchange name such as {@code "model.response"}.
     * @return the kind.
     * @throws IllegalArgumentException when the name is not a kind.
     */
    public static EventKind fromWireName(final String wireName)
    {
        for (final EventKind kind : values())
        {
            if (kind.wireName.equals(wireName))
            {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown event kind '" + wireName + "'");
    }
}
